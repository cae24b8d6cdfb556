package io.backtrack.e2e.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runner's configuration, shared read-only by every Job it runs. */
record RunnerSettings(List<ImageMapping> images, Map<String, String> extraEnv, Path logDir, Path workDir,
        Duration retryDelay) {

    RunnerSettings {
        images = List.copyOf(images);
        extraEnv = Map.copyOf(extraEnv);
    }

    Optional<ImageMapping> mappingFor(String image) {
        return image == null ? Optional.empty() : images.stream().filter(m -> m.matches(image)).findFirst();
    }

    Path logFile(String namespace, String pod) {
        return logDir.resolve(namespace + "_" + pod + ".log");
    }
}
