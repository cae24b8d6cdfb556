package io.backtrack.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails the build when the CRD YAML checked in under crds/ differs from what the Java types generate,
 * so the CRDs users apply can never drift from what the operator reads.
 * Run with -Dbacktrack.updateCrds=true to rewrite crds/ from the types.
 */
class CrdDriftTest {

    private final Path generated = Path.of(System.getProperty("backtrack.generatedCrdDir", "target/classes/META-INF/fabric8"));
    private final Path checkedIn = Path.of(System.getProperty("backtrack.crdDir", "../../crds"));

    @Test
    void checkedInCrdsMatchTheJavaTypes() throws IOException {
        List<Path> generatedFiles = crdFiles(generated);
        assertThat(generatedFiles).as("CRDs generated from the Java types in %s", generated).isNotEmpty();
        if (Boolean.getBoolean("backtrack.updateCrds")) {
            Files.createDirectories(checkedIn);
            for (Path file : generatedFiles) {
                Files.copy(file, checkedIn.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        List<String> drifted = new ArrayList<>();
        for (Path file : generatedFiles) {
            Path committed = checkedIn.resolve(file.getFileName());
            if (!Files.exists(committed) || !Files.readString(committed).equals(Files.readString(file))) {
                drifted.add(file.getFileName().toString());
            }
        }
        for (Path committed : crdFiles(checkedIn)) {
            if (!Files.exists(generated.resolve(committed.getFileName()))) {
                drifted.add(committed.getFileName() + " (no longer generated)");
            }
        }
        if (!drifted.isEmpty()) {
            fail("crds/ is out of date with the Java types: " + drifted
                    + ". Regenerate with: ./mvnw -pl operator/api verify -Dbacktrack.updateCrds=true");
        }
    }

    private static List<Path> crdFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
        }
    }
}
