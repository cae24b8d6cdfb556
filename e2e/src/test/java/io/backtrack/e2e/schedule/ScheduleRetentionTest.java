package io.backtrack.e2e.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.PrunedBackup;
import io.backtrack.api.schedule.RetentionPolicy;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.ScheduleFactory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.backtrack.e2e.schedule.ScheduleSteps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Retention with real backups: objects leave the bucket, and the guarantees hold. */
class ScheduleRetentionTest {
    static final String NS = "schedule-retention";
    static final String DB = "shop";
    static final String BUCKET = "db-backups";
    static final String DB_SECRET = "retention-db";

    static BacktrackEnvironment env;
    static ScheduleSteps steps;
    static ScheduleFactory schedules;
    static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, DB);
        steps = new ScheduleSteps(env, NS);
        schedules = ScheduleFactory.of(BackupFactory.of(env, DB, BUCKET).withSecrets(DB_SECRET, BacktrackEnvironment.S3_SECRET),
                "0 * * * *");
    }

    @AfterEach
    void deleteSchedules() {
        created.forEach(steps::delete);
        created.clear();
    }

    static void databasePassword(String password) {
        env.secret(NS, DB_SECRET, Map.of("username", env.postgres().superuser(), "password", password));
    }

    @Test
    void threeRunsWithKeepLastTwoPruneTheOldestAndItsObjects() {
        databasePassword(env.postgres().password());
        created.add("keep-two");
        steps.apply(schedules.withKeepLast(2).build(NS, "keep-two"));
        List<Backup> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Backup run = steps.fireAndFinish("keep-two");
            assertThat(run.getStatus().phase()).as("status of %s: %s", run.getMetadata().getName(), run.getStatus())
                    .isEqualTo(BackupPhase.Completed);
            runs.add(run);
        }
        String oldest = runs.get(0).getMetadata().getName();
        String oldestFolder = runs.get(0).getStatus().archive().key() + "/";
        steps.awaitGone(oldest);
        env.await("the oldest backup's objects deleted", () -> env.s3().listKeys(BUCKET, oldestFolder).isEmpty(), TIMEOUT);
        for (Backup kept : runs.subList(1, 3)) {
            assertThat(env.s3().listKeys(BUCKET, kept.getStatus().archive().key() + "/")).contains(kept.getStatus().archive().manifestKey());
        }
        assertThat(steps.names("keep-two")).containsExactly(runs.get(1).getMetadata().getName(), runs.get(2).getMetadata().getName());

        BackupSchedule s = env.awaitSchedule(NS, "keep-two", x -> x.getStatus().retention() != null
                && x.getStatus().retention().pruned() != null, TIMEOUT);
        var retention = s.getStatus().retention();
        assertThat(retention.kept()).isEqualTo(2);
        assertThat(retention.pruned()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo(oldest);
            assertThat(p.key()).isEqualTo(runs.get(0).getStatus().archive().key());
            assertThat(p.completedAt()).isEqualTo(runs.get(0).getStatus().completedAt());
            assertThat(p.reason()).isEqualTo("beyond keepLast 2");
        });
        assertThat(retention.prunedBytes()).isEqualTo(runs.get(0).getStatus().archive().sizeBytes());
        assertThat(retention.lastPruneTime()).isNotNull();
        assertThat(retention.error()).isNull();
        assertThat(steps.events("keep-two", "Pruned")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(oldest).contains("beyond keepLast 2"));
    }

    @Test
    void aFailedNewestRunHoldsPruningBackFailedRunsAreNotKeptAndABackupInUseByARestoreStays() {
        databasePassword(env.postgres().password());
        created.add("guarded");
        steps.apply(schedules.build(NS, "guarded"));  // no retention yet: everything is kept
        String first = steps.fireAndFinish("guarded").getMetadata().getName();
        String second = steps.fireAndFinish("guarded").getMetadata().getName();

        // the database breaks: the newest run fails
        databasePassword("not-the-password");
        Backup failed = steps.fireAndFinish("guarded");
        assertThat(failed.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        String third = failed.getMetadata().getName();

        // now ask for keepLast 1: it would prune two backups, but the newest run failed
        setRetention("guarded", new RetentionPolicy(1, null, null, null, null, null, null));
        BackupSchedule held = env.awaitSchedule(NS, "guarded", x -> x.getStatus().retention() != null
                && x.getStatus().retention().message().contains("holding back"), TIMEOUT);
        assertThat(held.getStatus().retention().message()).contains("the newest run " + third + " failed");
        assertThat(held.getStatus().lastFailedBackup()).isEqualTo(third);
        assertThat(ScheduleSteps.says(held, "LastBackupSucceeded", "False", "DatabaseAuthFailed")).isTrue();
        assertThat(steps.names("guarded")).containsExactly(first, second, third);

        // a Restore is reading the first backup
        markInUse(first, "orders-incident");

        databasePassword(env.postgres().password());
        Backup fourth = steps.fireAndFinish("guarded");
        assertThat(fourth.getStatus().phase()).isEqualTo(BackupPhase.Completed);
        steps.awaitGone(second);
        BackupSchedule after = env.awaitSchedule(NS, "guarded", x -> x.getStatus().retention().pruned() != null, TIMEOUT);
        // keepLast 1 keeps one completed backup: the failed run in between is not it; the one in use stays on top
        assertThat(steps.names("guarded")).containsExactly(first, third, fourth.getMetadata().getName());
        assertThat(after.getStatus().retention().kept()).isEqualTo(2);
        assertThat(after.getStatus().retention().pruned()).extracting(PrunedBackup::name).containsExactly(second);

        // the Restore is done: the first backup goes too
        markInUse(first, null);
        steps.awaitGone(first);
        assertThat(steps.names("guarded")).containsExactly(third, fourth.getMetadata().getName());
    }

    private void setRetention(String name, RetentionPolicy retention) {
        env.edit(BackupSchedule.class, NS, name, s -> {
            var spec = s.getSpec();
            s.setSpec(new io.backtrack.api.schedule.BackupScheduleSpec(spec.schedule(), spec.timeZone(), spec.suspend(),
                    spec.concurrencyPolicy(), spec.startingDeadlineSeconds(), spec.backupTemplate(), retention,
                    spec.failedBackupsHistoryLimit(), spec.drill()));
            return s;
        });
    }

    private void markInUse(String backup, String restore) {
        env.edit(Backup.class, NS, backup, b -> {
            Map<String, String> labels = new HashMap<>(b.getMetadata().getLabels());
            if (restore == null) {
                labels.remove(BacktrackApi.IN_USE_BY_RESTORE_LABEL);
            } else {
                labels.put(BacktrackApi.IN_USE_BY_RESTORE_LABEL, restore);
            }
            b.setMetadata(new ObjectMetaBuilder(b.getMetadata()).withLabels(labels).build());
            return b;
        });
    }
}
