package io.backtrack.e2e.chart;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/install.md documents every value of helm/backtrack/values.yaml (its values table names each key path). */
class InstallDocTest {
    @Test
    void everyValueIsInTheValuesReference() throws IOException {
        String doc = Files.readString(ChartFixture.root().resolve("docs/install.md"));
        List<String> keys = new ArrayList<>();
        collect("", ChartFixture.readYaml(ChartFixture.chart().resolve("values.yaml")), keys);
        assertThat(keys).hasSizeGreaterThan(30);
        List<String> missing = keys.stream().filter(k -> !doc.contains("`" + k + "`")).toList();
        assertThat(missing).as("values.yaml keys not in docs/install.md's values table (as `key`)").isEmpty();
    }

    /** Leaf keys, and maps that are empty by default (their contents are free-form), as dotted paths. */
    @SuppressWarnings("unchecked")
    private static void collect(String prefix, Map<String, Object> map, List<String> keys) {
        for (var e : map.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> child && !child.isEmpty() && !isFreeForm(key)) {
                collect(key, (Map<String, Object>) child, keys);
            } else {
                keys.add(key);
            }
        }
    }

    /** Maps passed through to Kubernetes as they are: documented as one value. */
    private static boolean isFreeForm(String key) {
        return List.of("resources", "podSecurityContext", "securityContext").contains(key);
    }
}
