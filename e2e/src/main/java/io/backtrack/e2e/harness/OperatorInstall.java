package io.backtrack.e2e.harness;

import com.marcnuri.helm.Helm;
import io.backtrack.e2e.cluster.ContainerEnvironment;
import io.backtrack.e2e.cluster.ControlPlane;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator installed as the Helm chart installs it, less its Deployment (the operator runs as a local process,
 * {@link OperatorProcess}): {@code helm template helm/backtrack} rendered with the embedded Helm, and its Namespace,
 * ServiceAccount, (Cluster)Roles and bindings applied. The operator then authenticates with a token of that
 * ServiceAccount from the TokenRequest API, so it has exactly the chart's permissions and a missing one fails a
 * test; and it gets the environment the chart's Deployment gives its container.
 */
public final class OperatorInstall {
    public static final String NAMESPACE = "backtrack-system";
    public static final String RELEASE = "backtrack";
    /** The Pod name the operator's process stands in for (POD_NAME; the leader-election identity). */
    static final String POD_NAME = "backtrack-local";
    private static final Set<String> APPLIED_KINDS = Set.of("Namespace", "ServiceAccount", "ClusterRole",
            "ClusterRoleBinding", "Role", "RoleBinding");
    private static final long TOKEN_SECONDS = 7 * 24 * 3600L;

    private final Path kubeconfig;
    private final Map<String, String> env;
    private final String serviceAccount;

    private OperatorInstall(Path kubeconfig, Map<String, String> env, String serviceAccount) {
        this.kubeconfig = kubeconfig;
        this.env = env;
        this.serviceAccount = serviceAccount;
    }

    /** Renders the chart (extra {@code --set} values allowed), applies its RBAC and writes the operator's kubeconfig. */
    public static OperatorInstall apply(ControlPlane cluster, Path workDir, Map<String, String> values) {
        KubernetesClient client = cluster.client();
        String rendered = render(client.getKubernetesVersion().getGitVersion(), values);
        List<HasMetadata> objects = client.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
        for (HasMetadata o : objects) {
            if (APPLIED_KINDS.contains(o.getKind())) {
                client.resource(o).fieldManager("helm").forceConflicts().serverSideApply();
            }
        }
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow(() -> new IllegalStateException("the chart renders no Deployment"));
        String serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
        String token = client.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(TOKEN_SECONDS).endSpec().build())
                .getStatus().getToken();
        Path kubeconfig = writeKubeconfig(cluster, workDir.resolve("operator.kubeconfig"), serviceAccount, token);
        return new OperatorInstall(kubeconfig, containerEnv(deployment), serviceAccount);
    }

    /**
     * {@code helm template} of the chart, in a child JVM: the embedded Helm is a Go library, and the Go runtime takes
     * over SIGTERM, SIGINT and SIGQUIT in the process that loads it, so this JVM (the sandbox: Ctrl-C) would no
     * longer run its shutdown hooks.
     */
    static String render(String kubeVersion, Map<String, String> values) {
        List<String> command = new java.util.ArrayList<>(List.of(OperatorProcess.javaBinary(), "-cp",
                System.getProperty("java.class.path"), OperatorInstall.class.getName(), kubeVersion));
        values.forEach((k, v) -> command.add(k + "=" + v));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("helm template helm/backtrack failed (exit " + p.exitValue() + ")");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the chart", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Child process of {@link #render}: {@code KUBE_VERSION [KEY=VALUE]...}; prints the rendered chart. */
    public static void main(String[] args) {
        var template = new Helm(RepoPaths.root().resolve("helm/backtrack")).template().withName(RELEASE)
                .withNamespace(NAMESPACE).withKubeVersion(args[0]).set("createNamespace", true);
        for (int i = 1; i < args.length; i++) {
            template.set(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        }
        System.out.print(template.call());
        System.out.flush();
        System.exit(0);
    }

    /** A kubeconfig with the ServiceAccount's token, as the operator's Pod would have it mounted. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The ServiceAccount the operator runs as ({@code system:serviceaccount:backtrack-system:NAME}). */
    public String serviceAccount() {
        return serviceAccount;
    }

    /**
     * The environment the chart gives the operator container: its {@code fieldRef}s resolved for a Pod named
     * {@value #POD_NAME} in {@value #NAMESPACE}, {@code $(VAR)} references expanded as the kubelet does.
     */
    public Map<String, String> env() {
        return env;
    }

    private static Map<String, String> containerEnv(Deployment deployment) {
        Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> "operator".equals(c.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the chart's Deployment has no operator container"));
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : operator.getEnv()) {
            if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null) {
                String field = v.getValueFrom().getFieldRef().getFieldPath();
                env.put(v.getName(), switch (field) {
                    case "metadata.namespace" -> NAMESPACE;
                    case "metadata.name" -> POD_NAME;
                    default -> throw new IllegalStateException("the harness does not resolve fieldRef " + field);
                });
            } else if (v.getValueFrom() != null) {
                throw new IllegalStateException("the harness does not resolve " + v.getName() + "'s valueFrom");
            } else {
                env.put(v.getName(), ContainerEnvironment.expand(v.getValue() == null ? "" : v.getValue(), env));
            }
        }
        return Map.copyOf(env);
    }

    private static Path writeKubeconfig(ControlPlane cluster, Path file, String serviceAccount, String token) {
        try {
            String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(cluster.caCertificate()));
            String user = "system:serviceaccount:" + NAMESPACE + ":" + serviceAccount;
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: backtrack-e2e
                      cluster:
                        server: %s
                        certificate-authority-data: %s
                    users:
                    - name: %s
                      user:
                        token: %s
                    contexts:
                    - name: backtrack-operator
                      context:
                        cluster: backtrack-e2e
                        user: %s
                        namespace: %s
                    current-context: backtrack-operator
                    """.formatted(cluster.url(), ca, user, token, user, NAMESPACE));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
