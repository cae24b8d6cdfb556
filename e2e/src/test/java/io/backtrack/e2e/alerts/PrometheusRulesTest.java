package io.backtrack.e2e.alerts;

import io.backtrack.e2e.harness.RepoPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The chart's alert rules (helm/backtrack/files/prometheus-rules.yaml) are valid and behave as their unit tests
 * (prometheus-rules.test.yaml) say, checked by promtool itself. Never skipped: without promtool this fails and says how
 * to install it (.ci/run installs it).
 */
class PrometheusRulesTest {
    static final Path FILES = RepoPaths.root().resolve("helm/backtrack/files");
    static final Path RULES = FILES.resolve("prometheus-rules.yaml");
    static final Path TESTS = FILES.resolve("prometheus-rules.test.yaml");
    static final List<String> ALERTS = List.of("BacktrackBackupMissing", "BacktrackBackupFailed", "BacktrackRestoreFailed",
            "BacktrackRestoreVerificationMismatch", "BacktrackPruningFailed", "BacktrackDrillFailed", "BacktrackDrillMissing",
            "BacktrackOperatorMetricsAbsent");

    static String promtool;

    @BeforeAll
    static void promtool() {
        promtool = promtoolOrFail();
    }

    /** promtool from PATH, or the test fails and says how to install it. */
    static String promtoolOrFail() {
        return find().orElseGet(() -> fail("promtool not found on PATH (" + System.getenv("PATH") + "); "
                + "install promtool: apt-get install prometheus (Debian package; .ci/run installs it)"));
    }

    @Test
    void theRuleFileIsValid() {
        Result r = run(promtool, "check", "rules", RULES.toString());
        assertThat(r.exit()).as("promtool check rules:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + ALERTS.size() + " rules found");
    }

    @Test
    void theAlertsPassTheirUnitTests() {
        Result r = run(promtool, "test", "rules", TESTS.getFileName().toString());
        assertThat(r.exit()).as("promtool test rules:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertIsUnitTestedAndDocumented() throws IOException {
        String rules = Files.readString(RULES);
        List<String> defined = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*- alert: (\\S+)").matcher(rules);
        while (m.find()) {
            defined.add(m.group(1));
        }
        assertThat(defined).containsExactlyInAnyOrderElementsOf(ALERTS);
        String tests = Files.readString(TESTS);
        String docs = Files.readString(RepoPaths.root().resolve("docs/metrics.md"));
        for (String alert : defined) {
            assertThat(tests).as("a promtool test case for %s", alert).contains("alertname: " + alert);
            assertThat(docs).as("docs/metrics.md documents %s", alert).contains("### " + alert);
        }
    }

    private static Optional<String> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    record Result(int exit, String output) {
    }

    static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(FILES.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
