package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet does with a container's {@code env} and {@code envFrom}: values, Secret and ConfigMap
 * references read from the API (with the kubelet's error messages when something is missing), the
 * downward API's simple fields, and {@code $(VAR)} expansion, which also applies to command and args.
 */
public final class ContainerEnvironment {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    private final KubernetesClient client;

    ContainerEnvironment(KubernetesClient client) {
        this.client = client;
    }

    /** The container's declared variables, in declaration order; throws until every reference resolves. */
    Map<String, String> resolve(Pod pod, Container container) throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : list(container.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getSecretRef() != null) {
                Secret secret = secret(namespace, from.getSecretRef().getName(),
                        Boolean.TRUE.equals(from.getSecretRef().getOptional()));
                secretData(secret).forEach((k, v) -> env.put(prefix + k, v));
            } else if (from.getConfigMapRef() != null) {
                ConfigMap map = configMap(namespace, from.getConfigMapRef().getName(),
                        Boolean.TRUE.equals(from.getConfigMapRef().getOptional()));
                configMapData(map).forEach((k, v) -> env.put(prefix + k, v));
            }
        }
        for (EnvVar var : list(container.getEnv())) {
            Optional<String> value = var.getValueFrom() == null
                    ? Optional.of(expand(var.getValue() == null ? "" : var.getValue(), env))
                    : valueFrom(pod, var.getValueFrom());
            value.ifPresent(v -> env.put(var.getName(), v));
        }
        return env;
    }

    /** Kubernetes' {@code $(VAR)} expansion: defined names are replaced, {@code $$} escapes, others stay. */
    public static String expand(String text, Map<String, String> env) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "$";
            } else {
                replacement = env.getOrDefault(m.group(1), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<String> expand(List<String> texts, Map<String, String> env) {
        List<String> out = new ArrayList<>(texts.size());
        texts.forEach(t -> out.add(expand(t, env)));
        return out;
    }

    private Optional<String> valueFrom(Pod pod, EnvVarSource source) throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        if (source.getSecretKeyRef() != null) {
            SecretKeySelector ref = source.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Secret secret = secret(namespace, ref.getName(), optional);
            String value = secretData(secret).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException(
                        "couldn't find key %s in Secret %s/%s".formatted(ref.getKey(), namespace, ref.getName()));
            }
            return Optional.ofNullable(value);
        }
        if (source.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = source.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            ConfigMap map = configMap(namespace, ref.getName(), optional);
            String value = configMapData(map).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException(
                        "couldn't find key %s in ConfigMap %s/%s".formatted(ref.getKey(), namespace, ref.getName()));
            }
            return Optional.ofNullable(value);
        }
        if (source.getFieldRef() != null) {
            return Optional.ofNullable(field(pod, source.getFieldRef()));
        }
        return Optional.empty(); // resourceFieldRef: no resources to report locally
    }

    private static String field(Pod pod, ObjectFieldSelector selector) {
        String path = selector.getFieldPath();
        var meta = pod.getMetadata();
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
            return mapOrEmpty(meta.getLabels()).get(path.substring(17, path.length() - 2));
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
            return mapOrEmpty(meta.getAnnotations()).get(path.substring(22, path.length() - 2));
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.podIP", "status.hostIP" -> "127.0.0.1";
            default -> null;
        };
    }

    private Secret secret(String namespace, String name, boolean optional) throws ContainerConfigException {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null && !optional) {
            throw new ContainerConfigException("secret \"%s\" not found".formatted(name));
        }
        return secret;
    }

    private ConfigMap configMap(String namespace, String name, boolean optional) throws ContainerConfigException {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
        if (map == null && !optional) {
            throw new ContainerConfigException("configmap \"%s\" not found".formatted(name));
        }
        return map;
    }

    /** {@code data} is base64 (the API server folds {@code stringData} into it on write). */
    private static Map<String, String> secretData(Secret secret) {
        Map<String, String> out = new LinkedHashMap<>();
        if (secret == null) {
            return out;
        }
        mapOrEmpty(secret.getData()).forEach((k, v) ->
                out.put(k, new String(Base64.getDecoder().decode(v.trim()), StandardCharsets.UTF_8)));
        return out;
    }

    private static Map<String, String> configMapData(ConfigMap map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map == null) {
            return out;
        }
        mapOrEmpty(map.getBinaryData()).forEach((k, v) ->
                out.put(k, new String(Base64.getDecoder().decode(v.trim()), StandardCharsets.UTF_8)));
        out.putAll(mapOrEmpty(map.getData()));
        return out;
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> mapOrEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
