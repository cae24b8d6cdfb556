package io.backtrack.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built pieces are: the repository root comes from -Dbacktrack.root or is found from the working directory. */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("backtrack.root", System.getenv("BACKTRACK_ROOT"));
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("crds")) && Files.isDirectory(p.resolve("operator"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the Backtrack repository root; set -Dbacktrack.root");
    }

    public static Path crds() {
        return root().resolve("crds");
    }

    public static Path agentJar() {
        return built(root().resolve("operator/agent/target/backtrack-agent.jar"));
    }

    public static Path operatorJar() {
        return built(root().resolve("operator/controller/target/quarkus-app/quarkus-run.jar"));
    }

    private static Path built(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: build first with ./mvnw -DskipTests package");
        }
        return p;
    }
}
