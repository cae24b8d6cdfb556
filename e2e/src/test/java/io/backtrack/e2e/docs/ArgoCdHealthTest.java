package io.backtrack.e2e.docs;

import io.backtrack.e2e.harness.RepoPaths;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Argo CD health check in docs/argocd/health.lua gives the health Argo CD should show for sample statuses of each
 * kind, run by a Lua 5.1 interpreter (Argo CD's gopher-lua speaks Lua 5.1), and argocd-cm.yaml carries exactly that
 * script for each of the three kinds.
 * Never skipped: without lua5.1 this fails and says how to install it (.ci/run installs it).
 */
class ArgoCdHealthTest {
    static final Path DIR = RepoPaths.root().resolve("docs/argocd");
    static final Path SCRIPT = DIR.resolve("health.lua");

    static String lua;

    @BeforeAll
    static void interpreter() {
        lua = find().orElseGet(() -> fail("lua5.1 not found on PATH (" + System.getenv("PATH") + "); install it: "
                + "apt-get install lua5.1 (Debian package; .ci/run installs it)"));
    }

    @Test
    void aBackupOrRestoreIsProgressingWhileItWaitsOrRunsHealthyOnceCompletedAndDegradedOnceFailed() throws IOException {
        assertThat(health(resource("Backup", 1, null))).isEqualTo("Progressing|Waiting for the Backtrack operator");
        assertThat(health(resource("Backup", 1, List.of(
                condition("Ready", "False", "Queued", "waiting for a free agent Job slot", 1),
                condition("Reconciling", "True", "Queued", "waiting for a free agent Job slot", 1),
                condition("Stalled", "False", "Queued", "waiting for a free agent Job slot", 1),
                condition("Completed", "False", "Queued", "waiting for a free agent Job slot", 1)))))
                .isEqualTo("Progressing|Queued: waiting for a free agent Job slot");
        assertThat(health(resource("Backup", 1, List.of(
                condition("Ready", "True", "Completed", "backed up 42 tables", 1),
                condition("Reconciling", "False", "Completed", "backed up 42 tables", 1),
                condition("Stalled", "False", "Completed", "backed up 42 tables", 1),
                condition("Completed", "True", "Succeeded", "backed up 42 tables", 1)))))
                .isEqualTo("Healthy|Completed: backed up 42 tables");
        assertThat(health(resource("Backup", 1, List.of(
                condition("Ready", "False", "BucketNotFound", "bucket db-backups does not exist", 1),
                condition("Reconciling", "False", "BucketNotFound", "bucket db-backups does not exist", 1),
                condition("Stalled", "True", "BucketNotFound", "bucket db-backups does not exist", 1),
                condition("Completed", "True", "Failed", "bucket db-backups does not exist", 1)))))
                .isEqualTo("Degraded|BucketNotFound: bucket db-backups does not exist");
        assertThat(health(resource("Restore", 1, List.of(
                condition("Ready", "False", "VerificationFailed", "row counts differ: public.orders", 1),
                condition("Stalled", "True", "VerificationFailed", "row counts differ: public.orders", 1),
                condition("Completed", "True", "Failed", "row counts differ: public.orders", 1)))))
                .isEqualTo("Degraded|VerificationFailed: row counts differ: public.orders");
        assertThat(health(resource("Restore", 1, List.of(
                condition("Ready", "False", "Restoring", "restoring into orders", 1),
                condition("Reconciling", "True", "Restoring", "restoring into orders", 1)))))
                .isEqualTo("Progressing|Restoring: restoring into orders");
    }

    @Test
    void aFailureWithoutStalledStillDegradesAndConditionsOfAnOlderGenerationSayNothing() throws IOException {
        assertThat(health(resource("Backup", 1, List.of(
                condition("Ready", "False", "ImagePullFailed", "the agent image cannot be pulled", 1),
                condition("Completed", "True", "Failed", "the agent image cannot be pulled", 1)))))
                .as("Completed=True, reason Failed").startsWith("Degraded|Failed");
        assertThat(health(resource("Backup", 2, List.of(
                condition("Ready", "True", "Completed", "done", 1),
                condition("Completed", "True", "Succeeded", "done", 1)))))
                .as("Ready of generation 1 on generation 2").isEqualTo("Progressing|Waiting for the Backtrack operator");
        assertThat(health(resource("Backup", 1, List.of(
                condition("Ready", "False", "ReconcileError", "the API server refused a request (HTTP 403)", 1),
                condition("Reconciling", "True", "ReconcileError", "the API server refused a request (HTTP 403)", 1)))))
                .isEqualTo("Progressing|ReconcileError: the API server refused a request (HTTP 403)");
    }

    @Test
    void aScheduleIsHealthyOnItsClockSuspendedWhenSuspendedAndDegradedWhenItCannotRunOrItsNewestBackupFailed()
            throws IOException {
        assertThat(health(resource("BackupSchedule", 3, null))).isEqualTo("Progressing|Waiting for the Backtrack operator");
        assertThat(health(resource("BackupSchedule", 3, List.of(
                condition("Ready", "True", "Scheduled", "next run at 2026-12-07T02:37:00Z", 3),
                condition("Stalled", "False", "Scheduled", "next run at 2026-12-07T02:37:00Z", 3),
                condition("LastBackupSucceeded", "True", "Completed", "Backup orders-nightly-1 completed", 3)))))
                .isEqualTo("Healthy|Scheduled: next run at 2026-12-07T02:37:00Z");
        assertThat(health(resource("BackupSchedule", 3, List.of(
                condition("Ready", "True", "Suspended", "suspended", 3)))))
                .isEqualTo("Suspended|Suspended: suspended");
        assertThat(health(resource("BackupSchedule", 3, List.of(
                condition("Ready", "False", "InvalidSchedule", "cron never fires", 3),
                condition("Stalled", "True", "InvalidSchedule", "cron never fires", 3)))))
                .isEqualTo("Degraded|InvalidSchedule: cron never fires");
        assertThat(health(resource("BackupSchedule", 3, List.of(
                condition("Ready", "True", "Scheduled", "next run at …", 3),
                condition("LastBackupSucceeded", "False", "DatabaseUnreachable", "Backup orders-nightly-2 did not complete", 3)))))
                .isEqualTo("Degraded|DatabaseUnreachable: Backup orders-nightly-2 did not complete");
        assertThat(health(resource("BackupSchedule", 4, List.of(
                condition("Ready", "False", "InvalidSchedule", "cron never fires", 3),
                condition("Stalled", "True", "InvalidSchedule", "cron never fires", 3)))))
                .as("a fixed spec (generation 4) not yet reconciled").isEqualTo("Progressing|Waiting for the Backtrack operator");
    }

    @Test
    void argocdCmCarriesExactlyThisScriptForTheThreeKinds() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> cm = Serialization.unmarshal(Files.readString(DIR.resolve("argocd-cm.yaml")), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, String> data = (Map<String, String>) cm.get("data");
        assertThat(data).containsOnlyKeys("resource.customizations.health.backtrack.io_Backup",
                "resource.customizations.health.backtrack.io_Restore", "resource.customizations.health.backtrack.io_BackupSchedule");
        assertThat(data.values()).allSatisfy(script -> assertThat(script).isEqualTo(Files.readString(SCRIPT)));
    }

    private static Map<String, Object> resource(String kind, long generation, List<Map<String, Object>> conditions) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("apiVersion", "backtrack.io/v1alpha1");
        obj.put("kind", kind);
        obj.put("metadata", Map.of("name", "orders", "namespace", "shop", "generation", generation));
        if (conditions != null) {
            obj.put("status", Map.of("phase", "Whatever", "conditions", conditions));
        }
        return obj;
    }

    private static Map<String, Object> condition(String type, String status, String reason, String message,
                                                 long observedGeneration) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", status);
        c.put("reason", reason);
        c.put("message", message);
        c.put("observedGeneration", observedGeneration);
        c.put("lastTransitionTime", "2026-12-06T02:00:00Z");
        return c;
    }

    /** Runs the script as Argo CD does (a global {@code obj}, the script's {@code return hs}): "status|message". */
    private static String health(Map<String, Object> obj) throws IOException {
        String program = "obj = " + toLua(obj) + "\nlocal hs = (function()\n" + Files.readString(SCRIPT)
                + "\nend)()\nio.write(hs.status .. '|' .. (hs.message or ''))\n";
        Path file = Files.createTempFile("argocd-health", ".lua");
        try {
            Files.writeString(file, program);
            Process p = new ProcessBuilder(lua, file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("lua did not finish: " + out);
            }
            assertThat(p.exitValue()).as("lua %s: %s", SCRIPT.getFileName(), out).isZero();
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A JSON-like value as a Lua table constructor: maps become keyed tables, lists 1-based arrays (as Argo CD's). */
    private static String toLua(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<String> fields = new ArrayList<>();
            map.forEach((k, v) -> fields.add("[" + toLua(k.toString()) + "] = " + toLua(v)));
            return "{" + String.join(", ", fields) + "}";
        }
        if (value instanceof List<?> list) {
            return "{" + String.join(", ", list.stream().map(ArgoCdHealthTest::toLua).toList()) + "}";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String s = value.toString();
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static Optional<String> find() {
        for (String name : List.of("lua5.1", "lua")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate) && (name.equals("lua5.1") || version(candidate).startsWith("Lua 5.1"))) {
                    return Optional.of(candidate.toString());
                }
            }
        }
        return Optional.empty();
    }

    private static String version(Path lua) {
        try {
            Process p = new ProcessBuilder(lua.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
