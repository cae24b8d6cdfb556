package io.backtrack.e2e.docs;

import io.backtrack.e2e.harness.RepoPaths;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/api-reference.md names every spec and status field of the CRDs in crds/ (and no field they do not have). */
class ApiReferenceTest {
    static final Path DOC = RepoPaths.root().resolve("docs/api-reference.md");

    @Test
    void everyCrdFieldIsDocumentedAndEveryDocumentedFieldExists() throws IOException {
        String doc = Files.readString(DOC);
        List<String> fields = new ArrayList<>();
        List<Path> crds;
        try (Stream<Path> files = Files.list(RepoPaths.crds())) {
            crds = files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(crds).hasSize(4);
        for (Path crd : crds) {
            CustomResourceDefinition definition;
            try (InputStream in = Files.newInputStream(crd)) {
                definition = Serialization.unmarshal(in, CustomResourceDefinition.class);
            }
            String kind = definition.getSpec().getNames().getKind();
            assertThat(doc).as("a section for %s", kind).contains("## " + kind + "\n");
            JSONSchemaProps schema = definition.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
            List<String> ofKind = new ArrayList<>();
            for (String part : List.of("spec", "status")) {
                walk(schema.getProperties().get(part), part, ofKind);
            }
            String section = section(doc, kind);
            for (String field : ofKind) {
                assertThat(section).as("docs/api-reference.md, section %s, documents %s (from %s)", kind, field, crd.getFileName())
                        .contains("| `" + field + "` |");
            }
            fields.addAll(ofKind);
        }
        List<String> documented = doc.lines().filter(l -> l.startsWith("| `")).map(l -> l.substring(3, l.indexOf('`', 3))).toList();
        assertThat(fields).as("fields the CRDs have").containsAll(documented);
        assertThat(fields).hasSizeGreaterThan(100);
    }

    private static String section(String doc, String kind) {
        int start = doc.indexOf("## " + kind + "\n");
        int end = doc.indexOf("\n## ", start + 1);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    private static void walk(JSONSchemaProps schema, String path, List<String> out) {
        if (schema == null) {
            return;
        }
        if ("array".equals(schema.getType()) && schema.getItems() != null && schema.getItems().getSchema() != null) {
            walk(schema.getItems().getSchema(), path + "[]", out);
            return;
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        for (Map.Entry<String, JSONSchemaProps> e : properties.entrySet()) {
            String field = path + "." + e.getKey();
            out.add(field);
            walk(e.getValue(), field, out);
        }
    }
}
