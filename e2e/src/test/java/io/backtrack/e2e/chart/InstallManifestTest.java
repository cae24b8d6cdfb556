package io.backtrack.e2e.chart;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.backtrack.e2e.chart.ChartFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * manifests/install.yaml is the chart rendered with its default values (plus the Namespace): the CRDs, namespace
 * backtrack-system, RBAC and the operator Deployment, for `kubectl apply -f manifests/install.yaml`. Fails when it
 * drifts from the chart; -Dbacktrack.updateChart=true rewrites it.
 */
class InstallManifestTest {
    static final String HEADER = """
            # Backtrack: CRDs, namespace backtrack-system, RBAC and the operator, for
            #   kubectl apply --server-side -f manifests/install.yaml
            # Generated from helm/backtrack with its default values (and createNamespace=true) by
            # e2e/src/test/java/io/backtrack/e2e/chart/InstallManifestTest.java; do not edit. Regenerate with
            #   ./mvnw -pl e2e test -Dtest='io/backtrack/e2e/chart/*Test' -Dbacktrack.updateChart=true
            """;

    static String generate() throws IOException {
        StringBuilder out = new StringBuilder(HEADER);
        try (Stream<Path> files = Files.list(ChartFixture.chart().resolve("crds"))) {
            for (Path crd : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                out.append("---\n# Source: backtrack/crds/").append(crd.getFileName()).append('\n');
                String text = Files.readString(crd);
                out.append(text.startsWith("---\n") ? text.substring(4) : text);
                if (!text.endsWith("\n")) {
                    out.append('\n');
                }
            }
        }
        String rendered = ChartFixture.renderText(Map.of("createNamespace", true));
        out.append(rendered.startsWith("---\n") ? rendered : "---\n" + rendered);
        return out.toString();
    }

    @Test
    void installYamlIsTheRenderedChart() throws IOException {
        Path file = ChartFixture.root().resolve("manifests/install.yaml");
        String expected = generate();
        if (Boolean.getBoolean("backtrack.updateChart")) {
            Files.writeString(file, expected);
        }
        if (!Files.exists(file) || !Files.readString(file).equals(expected)) {
            fail("manifests/install.yaml is out of date with helm/backtrack. Regenerate with: "
                    + "./mvnw -pl e2e test -Dtest='io/backtrack/e2e/chart/*Test' -Dbacktrack.updateChart=true");
        }
    }

    @Test
    void installYamlHoldsEverythingKubectlNeeds() throws IOException {
        List<Map<String, Object>> objects = ChartFixture.parse(Files.readString(ChartFixture.root().resolve("manifests/install.yaml")));
        List<String> kinds = objects.stream().map(o -> (String) o.get("kind")).toList();
        assertThat(kinds).containsOnlyOnce("Namespace", "Deployment", "ServiceAccount", "ClusterRole", "ClusterRoleBinding");
        assertThat(kinds.stream().filter("CustomResourceDefinition"::equals).count())
                .isEqualTo(crdCount());
        // Namespace and CRDs before the objects that need them.
        assertThat(kinds.indexOf("Namespace")).isLessThan(kinds.indexOf("ServiceAccount"));
        assertThat(kinds.lastIndexOf("CustomResourceDefinition")).isLessThan(kinds.indexOf("Deployment"));
        assertThat(objects).filteredOn(o -> !List.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding")
                .contains(o.get("kind"))).allSatisfy(o -> assertThat((String) at(o, "metadata", "namespace")).isEqualTo("backtrack-system"));
    }

    private static long crdCount() throws IOException {
        try (Stream<Path> files = Files.list(ChartFixture.root().resolve("crds"))) {
            return files.filter(f -> f.toString().endsWith(".yml")).count();
        }
    }
}
