package io.backtrack.e2e.kubectl;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.RepoPaths;
import io.backtrack.e2e.harness.RestoreFactory;
import io.backtrack.e2e.harness.ScheduleFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl get} of each Backtrack resource shows the columns README.md shows, in its order, with values and no
 * {@code <invalid>} (what kubectl prints for a date column holding a future time).
 */
class PrinterColumnsTest {
    static final String NS = "printer-columns";
    static final String BUCKET = "printer-columns";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    static BacktrackEnvironment env;
    static Backup backup;
    static Restore restore;
    static BackupSchedule schedule;

    @BeforeAll
    static void resources() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, "shop");
        BackupFactory backups = BackupFactory.of(env, "shop", BUCKET);
        env.client().resource(backups.build(NS, "orders-before-migration")).create();
        backup = env.awaitBackup(NS, "orders-before-migration", b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(backup.getStatus().phase()).as("%s", backup.getStatus()).isEqualTo(BackupPhase.Completed);
        env.client().resource(RestoreFactory.ofBackup("orders-before-migration").strategy(RestoreStrategy.newDatabase)
                .target(env, env.postgres().uniqueDatabaseName("printer_copy"), BacktrackEnvironment.DB_SECRET)
                .build(NS, "orders-rollback")).create();
        restore = env.awaitRestore(NS, "orders-rollback", r -> r.getStatus() != null && r.getStatus().phase() != null
                && r.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(restore.getStatus().phase()).as("%s", restore.getStatus()).isEqualTo(RestorePhase.Completed);
        env.client().resource(ScheduleFactory.of(backups, "H 2 * * *").suspended(true).build(NS, "orders-nightly")).create();
        schedule = env.awaitSchedule(NS, "orders-nightly", s -> s.getStatus() != null && s.getStatus().nextScheduleTime() != null,
                TIMEOUT);
    }

    @Test
    void backupsShowPhaseSizeShaCompletionOriginAndAge() throws IOException {
        Map<String, String> row = onlyRow("dbbackup");
        assertThat(row.keySet()).containsExactlyElementsOf(readmeHeader("dbbackup"));
        assertThat(row).containsEntry("NAME", "orders-before-migration").containsEntry("PHASE", "Completed")
                .containsEntry("SHA256", backup.getStatus().archive().sha256().substring(0, 12));
        assertThat(row.get("SIZE")).matches("[0-9.]+ (B|KiB|MiB|GiB)");
        assertThat(row.get("COMPLETED")).matches("[0-9]+[smhd].*");
        assertThat(row.get("ORIGIN")).as("made here, not discovered").isEmpty();
        assertThat(row.get("AGE")).matches("[0-9]+[smhd].*");
    }

    @Test
    void restoresShowPhaseBackupDurationAndAge() throws IOException {
        Map<String, String> row = onlyRow("dbrestore");
        assertThat(row.keySet()).containsExactlyElementsOf(readmeHeader("dbrestore"));
        assertThat(row).containsEntry("NAME", "orders-rollback").containsEntry("PHASE", "Completed")
                .containsEntry("BACKUP", "orders-before-migration");
        assertThat(Double.parseDouble(row.get("DURATION"))).isPositive();
    }

    @Test
    void schedulesShowTheirNextRunAsATimeNotInvalid() throws IOException {
        Map<String, String> row = onlyRow("dbschedule");
        assertThat(row.keySet()).containsExactlyElementsOf(readmeHeader("dbschedule"));
        assertThat(row).containsEntry("NAME", "orders-nightly").containsEntry("SCHEDULE", "H 2 * * *")
                .containsEntry("SUSPENDED", "true").containsEntry("LAST SUCCESS", "")
                .containsEntry("NEXT", schedule.getStatus().nextScheduleTime());
    }

    @Test
    void theCategoryListsThemAll() {
        String out = env.kubectl("get", "backtrack", "-n", NS).ok().out();
        assertThat(out).contains("backup.backtrack.io/orders-before-migration", "restore.backtrack.io/orders-rollback",
                "backupschedule.backtrack.io/orders-nightly").doesNotContain("<invalid>");
    }

    /** The single row of {@code kubectl get KIND -n NS}, by column; fails on {@code <invalid>}. */
    private static Map<String, String> onlyRow(String kind) {
        String out = env.kubectl("get", kind, "-n", NS).ok().out();
        assertThat(out).as(out).doesNotContain("<invalid>");
        List<String> lines = out.strip().lines().toList();
        assertThat(lines).as(out).hasSize(2);
        return columns(lines.get(0), lines.get(1));
    }

    /** kubectl's table: columns start where the header's names start. */
    private static Map<String, String> columns(String header, String row) {
        List<String> names = Arrays.stream(header.split("\\s{2,}")).toList();
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            int start = header.indexOf(names.get(i), i == 0 ? 0 : header.indexOf(names.get(i - 1)) + names.get(i - 1).length());
            int end = i + 1 < names.size() ? header.indexOf(names.get(i + 1), start + names.get(i).length()) : Integer.MAX_VALUE;
            out.put(names.get(i), row.substring(Math.min(start, row.length()), Math.min(end, row.length())).strip());
        }
        return out;
    }

    /** The header README.md shows under {@code $ kubectl get KIND ...}. */
    private static List<String> readmeHeader(String kind) throws IOException {
        List<String> lines = Files.readAllLines(RepoPaths.root().resolve("README.md"));
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).startsWith("$ kubectl get " + kind + " ")) {
                return Arrays.stream(lines.get(i + 1).strip().split("\\s{2,}")).toList();
            }
        }
        throw new AssertionError("README.md shows no `$ kubectl get " + kind + "`");
    }
}
