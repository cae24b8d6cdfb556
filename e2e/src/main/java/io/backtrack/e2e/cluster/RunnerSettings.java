package io.backtrack.e2e.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node runner's configuration, shared read-only by every Pod it runs.
 *
 * @param runAsPodUser run each container as the UID/GID its security context names (needs root and setpriv), as a
 *                     runtime would; off, every container runs as this JVM's user
 */
record RunnerSettings(List<ImageMapping> images, Map<String, String> extraEnv, Path logDir, Path workDir,
        boolean runAsPodUser) {

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
