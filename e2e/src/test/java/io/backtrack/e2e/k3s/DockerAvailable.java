package io.backtrack.e2e.k3s;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the K3s suite only where a Docker engine answers; elsewhere disables it with one line saying why, which JUnit
 * reports as the skip reason (surefire's XML report and console) and which is also printed, so `.ci/run` can show it:
 * {@code K3s suite skipped: no Docker engine (…)}.
 */
public final class DockerAvailable implements ExecutionCondition {
    public static final String SKIPPED = "K3s suite skipped: no Docker engine";
    private static volatile ConditionEvaluationResult decided;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        ConditionEvaluationResult result = decided;
        if (result == null) {
            result = decide();
            decided = result;
            if (result.isDisabled()) {
                System.out.println(result.getReason().orElse(SKIPPED));
            }
        }
        return result;
    }

    private static ConditionEvaluationResult decide() {
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("Docker engine found: " + DockerClientFactory.instance().getInfo().getName());
            }
        } catch (RuntimeException e) {
            return ConditionEvaluationResult.disabled(SKIPPED + " (" + why() + "; " + e.getMessage() + ")");
        }
        return ConditionEvaluationResult.disabled(SKIPPED + " (" + why() + "); it runs in ./mvnw verify wherever Docker runs");
    }

    private static String why() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return "DOCKER_HOST=" + host + " does not answer";
        }
        return Files.exists(Path.of("/var/run/docker.sock")) ? "/var/run/docker.sock does not answer"
                : "no DOCKER_HOST and no /var/run/docker.sock";
    }
}
