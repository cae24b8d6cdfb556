package io.backtrack.e2e.chart;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The chart under helm/backtrack, rendered with the embedded Helm (helm-java), and its output as YAML maps. */
final class ChartFixture {
    static final String RELEASE = "backtrack";
    static final String NAMESPACE = "backtrack-system";
    /** The Kubernetes version templates are rendered for (helm template's default, 1.20, is below kubeVersion). */
    static final String KUBE_VERSION = "v1.31.0";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ChartFixture() {
    }

    static Path root() {
        Path root = Path.of(System.getProperty("backtrack.root", "..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("helm/backtrack"))) {
            throw new IllegalStateException("helm/backtrack not found under " + root + " (set -Dbacktrack.root)");
        }
        return root;
    }

    static Path chart() {
        return root().resolve("helm/backtrack");
    }

    /** Renders the chart as `helm template backtrack helm/backtrack -n backtrack-system --set k=v…` does. */
    static String renderText(Map<String, Object> values) {
        TemplateCommand template = new Helm(chart()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        values.forEach(template::set);
        return template.call();
    }

    static Rendered render(Map<String, Object> values) {
        return new Rendered(parse(renderText(values)));
    }

    static Rendered render() {
        return render(Map.of());
    }

    static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> it = YAML.readerFor(new TypeReference<Map<String, Object>>() {
        }).readValues(yaml)) {
            while (it.hasNext()) {
                Map<String, Object> doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered chart is not valid YAML", e);
        }
        return docs;
    }

    static Map<String, Object> readYaml(Path file) {
        try {
            return YAML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (current instanceof List<?> list && key.matches("\\d+")) {
                int i = Integer.parseInt(key);
                current = i < list.size() ? list.get(i) : null;
            } else {
                return null;
            }
        }
        return (T) current;
    }

    /** The objects of one rendering. */
    record Rendered(List<Map<String, Object>> objects) {
        List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> all = ofKind(kind);
            if (all.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + all.size());
            }
            return all.get(0);
        }

        Optional<Map<String, Object>> find(String kind, String namespace, String name) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))
                    && Objects.equals(name, at(o, "metadata", "name"))
                    && Objects.equals(namespace, at(o, "metadata", "namespace"))).findFirst();
        }

        List<String> kinds() {
            return objects.stream().map(o -> (String) o.get("kind")).toList();
        }

        Map<String, Object> operatorContainer() {
            List<Map<String, Object>> containers = at(one("Deployment"), "spec", "template", "spec", "containers");
            return containers.stream().filter(c -> "operator".equals(c.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no operator container"));
        }

        Map<String, String> operatorEnv() {
            Map<String, String> env = new LinkedHashMap<>();
            List<Map<String, Object>> vars = at(operatorContainer(), "env");
            for (Map<String, Object> v : vars) {
                env.put((String) v.get("name"), v.containsKey("value") ? String.valueOf(v.get("value")) : "<valueFrom>");
            }
            return env;
        }
    }
}
