package io.backtrack.e2e.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.OperatorProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness reflects the controllers' informers; JSON logs on request; a SIGTERM stops the operator cleanly. */
class HealthAndLogsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static BacktrackEnvironment env;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
    }

    @Test
    void readinessIsTheOperatorSdkCheckOverEveryController() throws Exception {
        OperatorProcess.HttpResult ready = env.operator().get("/q/health/ready");
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        JsonNode check = null;
        for (JsonNode c : body.path("checks")) {
            if (c.path("name").asText().equals("Quarkus Operator SDK health check")) {
                check = c;
            }
        }
        assertThat(check).as("the operator's readiness check in %s", ready.body()).isNotNull();
        assertThat(check.path("status").asText()).isEqualTo("UP");
        assertThat(check.path("data").toString()).as(ready.body()).contains("backup").contains("restore").contains("backupschedule");
        assertThat(env.operator().get("/q/health/live").status()).isEqualTo(200);
    }

    @Test
    void jsonLogsOnRequestAndACleanStopOnSigterm() throws Exception {
        // A second operator, watching only a namespace nothing uses, with JSON logs.
        var dir = Files.createTempDirectory("backtrack-json-logs-");
        OperatorProcess second = new OperatorProcess(env.operator().kubeconfig(), dir, Map.of(
                "BACKTRACK_AGENT_IMAGE", BacktrackEnvironment.AGENT_IMAGE,
                "BACKTRACK_SCHEDULE_MAX_REQUEUE_INTERVAL", "PT1H",
                "QUARKUS_OPERATOR_SDK_NAMESPACES", "json-logs-nothing-here",
                "QUARKUS_LOG_CONSOLE_JSON", "true"));
        try {
            second.start();
            second.stop();
            Process p = second.process();
            assertThat(p.isAlive()).isFalse();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : second.log().split("\n")) {
                if (!line.isBlank()) {
                    assertThat(line).as("every log line is JSON").startsWith("{");
                    lines.add(JSON.readTree(line));
                }
            }
            assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).contains("started in"));
            assertThat(lines).allSatisfy(l -> assertThat(l.has("level") && l.has("timestamp") && l.has("loggerName")).isTrue());
            assertThat(lines).as("a SIGTERM runs Quarkus' orderly shutdown")
                    .anySatisfy(l -> assertThat(l.path("message").asText()).contains("stopped in"));
        } finally {
            second.kill();
        }
    }
}
