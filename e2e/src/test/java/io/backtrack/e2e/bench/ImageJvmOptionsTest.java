package io.backtrack.e2e.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.e2e.harness.RepoPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmarks run the operator and the agent with exactly the JVM options their images run them with. */
class ImageJvmOptionsTest {

    @Test
    void theOperatorBenchmarkUsesTheOperatorImagesJvmOptionsPlusTheChartsMemoryLimit() throws IOException {
        List<String> image = jvmOptions("operator/controller/Dockerfile");
        assertThat(image).isNotEmpty();
        assertThat(ScaleBench.OPERATOR_JVM).as("ScaleBench.OPERATOR_JVM")
                .containsExactlyElementsOf(concat(image, "-XX:MaxRAM=512m"));
    }

    @Test
    void theOperatorBenchmarkSetsTheOperatorImagesEnvironment() throws IOException {
        Map<String, String> image = Files.readAllLines(RepoPaths.root().resolve("operator/controller/Dockerfile"))
                .stream().filter(l -> l.startsWith("ENV ")).map(l -> l.substring("ENV ".length()).split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        assertThat(image).as("the operator image's ENV lines").isNotEmpty();
        assertThat(ScaleBench.OPERATOR_ENV).as("ScaleBench.OPERATOR_ENV").isEqualTo(image);
    }

    @Test
    void theDataPathBenchmarkUsesTheAgentImagesJvmOptionsAndClassDataSharingArchive() throws IOException {
        List<String> image = jvmOptions("operator/agent/Dockerfile");
        assertThat(image).as("the agent image's JVM options").first().isEqualTo(AgentCds.IMAGE_OPTION);
        assertThat(DataPathBench.AGENT_IMAGE_JVM).as("DataPathBench.AGENT_IMAGE_JVM")
                .containsExactlyElementsOf(image.subList(1, image.size()));
        // The image makes its archive as AgentCds makes the benchmark's: the same class list, the same options.
        List<String> dockerfile = Files.readAllLines(RepoPaths.root().resolve("operator/agent/Dockerfile"));
        assertThat(dockerfile).contains("COPY " + AgentCds.CLASS_LIST + " /opt/backtrack/agent.classlist");
        String dump = dockerfile.stream().filter(l -> l.contains("-Xshare:dump")).findFirst().orElseThrow();
        assertThat(dump).contains(concat(DataPathBench.AGENT_IMAGE_JVM.subList(0, 2), "-Xshare:dump").stream()
                .map(o -> "\"" + o + "\"").toList());
        assertThat(Files.readAllLines(RepoPaths.root().resolve(AgentCds.CLASS_LIST)))
                .contains("io/backtrack/agent/cli/AgentMain", "io/backtrack/agent/backup/BackupRunner",
                        "io/backtrack/agent/restore/RestoreRunner");
    }

    /** The -X options of the Dockerfile's exec-form ENTRYPOINT (system properties and the jar left out). */
    private static List<String> jvmOptions(String dockerfile) throws IOException {
        String entrypoint = Files.readAllLines(RepoPaths.root().resolve(dockerfile)).stream()
                .filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow()
                .substring("ENTRYPOINT ".length());
        List<String> command = new ObjectMapper().readValue(entrypoint, new TypeReference<List<String>>() {
        });
        return command.stream().filter(a -> a.startsWith("-X")).toList();
    }

    private static List<String> concat(List<String> a, String b) {
        return java.util.stream.Stream.concat(a.stream(), java.util.stream.Stream.of(b)).toList();
    }
}
