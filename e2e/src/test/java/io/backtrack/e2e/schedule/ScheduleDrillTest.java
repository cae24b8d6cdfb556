package io.backtrack.e2e.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.drill.DrillCheck;
import io.backtrack.api.drill.DrillOutcome;
import io.backtrack.api.drill.DrillRecord;
import io.backtrack.api.drill.DrillSpec;
import io.backtrack.api.drill.DrillTarget;
import io.backtrack.api.drill.RestoreDrill;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleSpec;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.ScheduleFactory;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restore drills on the real control plane, one schedule through its story: a drill that proves the newest backup
 * and measures its recovery time, a drill of a corrupted archive, a drill whose user check fails; and a drill whose
 * target is the live database, refused.
 */
class ScheduleDrillTest {
    static final String NS = "schedule-drills";
    static final String DB = "drills";
    static final String BUCKET = "db-backups";
    static final String SCHEDULE = "drilled";

    static BacktrackEnvironment env;
    static ScheduleSteps steps;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, DB);
        steps = new ScheduleSteps(env, NS);
        BackupSchedule schedule = ScheduleFactory.of(BackupFactory.of(env, DB, BUCKET), "0 * * * *").build(NS, SCHEDULE);
        steps.apply(withDrill(schedule, "> 0"));
    }

    /** Drills at :30, on the same server as the live database (a scratch database beside it), one check. */
    private static BackupSchedule withDrill(BackupSchedule s, String expect) {
        BackupScheduleSpec spec = s.getSpec();
        s.setSpec(new BackupScheduleSpec(spec.schedule(), spec.timeZone(), spec.suspend(), spec.concurrencyPolicy(),
                spec.startingDeadlineSeconds(), spec.backupTemplate(), spec.retention(), spec.failedBackupsHistoryLimit(),
                new DrillSpec("30 * * * *", null, new DrillTarget(env.postgres().host(), env.postgres().port(),
                        new DatabaseCredentials(BacktrackEnvironment.DB_SECRET, null, null)), null, null, "2m", "10s",
                        List.of(new DrillCheck("customers", "SELECT count(*) FROM public.customers", expect)), null)));
        return s;
    }

    /** Moves the operator's clock to the next drill and waits until the schedule has recorded how it ended. */
    private static DrillRecord drill() {
        BackupSchedule before = env.awaitSchedule(NS, SCHEDULE, s -> s.getStatus() != null
                && s.getStatus().nextDrillTime() != null && s.getStatus().activeDrill() == null
                && Objects.equals(s.getStatus().observedGeneration(), s.getMetadata().getGeneration()), ScheduleSteps.TIMEOUT);
        String previous = before.getStatus().lastDrill() == null ? null : before.getStatus().lastDrill().restore();
        env.operatorClock().advanceTo(Instant.parse(before.getStatus().nextDrillTime()));
        BackupSchedule after = env.awaitSchedule(NS, SCHEDULE, s -> s.getStatus().lastDrill() != null
                && !s.getStatus().lastDrill().restore().equals(previous), ScheduleSteps.TIMEOUT);
        return after.getStatus().lastDrill();
    }

    private static List<String> scratchDatabases() {
        return env.postgres().query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + DB
                + "\\_drill\\_%'");
    }

    @Test
    void drillsProveTheNewestBackupMeasureRecoveryAndFailLoudlyWithoutDeletingAnything() {
        DatabaseFingerprint live = DatabaseFingerprint.of(env.postgres(), DB);
        Backup first = steps.fireAndFinish(SCHEDULE);
        assertThat(first.getStatus().phase()).isEqualTo(BackupPhase.Completed);

        DrillRecord ok = drill();
        assertThat(ok.result()).as(ok.toString()).isEqualTo(DrillOutcome.Succeeded);
        assertThat(ok.backup()).isEqualTo(first.getMetadata().getName());
        assertThat(ok.recoverySeconds()).isPositive();
        assertThat(ok.rows()).isEqualTo(live.totalRows());
        assertThat(ok.checks()).singleElement().satisfies(c -> assertThat(c.ok()).isTrue());
        assertThat(scratchDatabases()).as("the scratch database is dropped").isEmpty();
        assertThat(env.backup(NS, first.getMetadata().getName()).getStatus().lastVerified().recoverySeconds())
                .isEqualTo(ok.recoverySeconds());
        assertThat(env.kubectl("get", "dbrestore", "-n", NS, "-l", BacktrackApi.ROLE_LABEL + "=" + BacktrackApi.DRILL,
                "-o", "name").out()).contains(ok.restore());
        assertThat(steps.condition(env.schedule(NS, SCHEDULE), "DrillFailed").getStatus()).isEqualTo("False");

        Backup second = steps.fireAndFinish(SCHEDULE);
        env.s3().corruptOneByte(BUCKET, second.getStatus().archive().archiveKey());
        DrillRecord corrupt = drill();
        assertThat(corrupt.result()).isEqualTo(DrillOutcome.Failed);
        assertThat(corrupt.reason()).as(corrupt.toString()).isEqualTo("ArchiveCorrupt");
        BackupSchedule failed = env.schedule(NS, SCHEDULE);
        assertThat(ScheduleSteps.says(failed, "DrillFailed", "True", "ArchiveCorrupt")).as(failed.getStatus().toString()).isTrue();
        assertThat(steps.events(SCHEDULE, "DrillFailed")).isNotEmpty();
        assertThat(env.backup(NS, second.getMetadata().getName()).getStatus().lastVerified().reason()).isEqualTo("ArchiveCorrupt");
        assertThat(steps.names(SCHEDULE)).as("nothing is deleted").contains(first.getMetadata().getName(),
                second.getMetadata().getName());
        assertThat(env.s3().readObject(BUCKET, second.getStatus().archive().archiveKey())).isNotEmpty();
        assertThat(DatabaseFingerprint.of(env.postgres(), DB)).isEqualTo(live);
        assertThat(scratchDatabases()).isEmpty();
        // What BacktrackDrillFailed reads.
        assertThat(env.operator().get("/q/metrics").body()).containsPattern(
                "backtrack_drill_failures_total\\{[^}]*reason=\"ArchiveCorrupt\"[^}]*schedule=\"" + SCHEDULE + "\"[^}]*} 1\\.0");

        env.edit(BackupSchedule.class, NS, SCHEDULE, s -> withDrill(s, "0"));
        steps.fireAndFinish(SCHEDULE);
        DrillRecord check = drill();
        assertThat(check.reason()).as(check.toString()).isEqualTo("VerificationFailed");
        assertThat(check.recoverySeconds()).as("restored and verified before the check ran").isPositive();
        assertThat(check.checks()).singleElement().satisfies(c -> {
            assertThat(c.ok()).isFalse();
            assertThat(c.value()).isEqualTo(String.valueOf(live.rowCounts().get("public.customers")));
        });
        assertThat(scratchDatabases()).isEmpty();
        assertThat(env.schedule(NS, SCHEDULE).getStatus().drillHistory()).extracting(DrillRecord::result)
                .containsExactly(DrillOutcome.Failed, DrillOutcome.Failed, DrillOutcome.Succeeded);
    }

    @Test
    void aDrillWhoseTargetIsTheLiveDatabaseIsRefusedBeforeAnythingRuns() {
        Backup backup = env.client().resource(BackupFactory.of(env, DB, BUCKET).build(NS, "live-target")).create();
        env.awaitBackup(NS, backup.getMetadata().getName(), ScheduleSteps::terminal, ScheduleSteps.TIMEOUT);
        Restore drill = new Restore();
        drill.setMetadata(new ObjectMetaBuilder().withName("live-target").withNamespace(NS).build());
        drill.setSpec(new RestoreSpec("live-target", null, new RestoreTarget(env.postgres().host(), env.postgres().port(), DB,
                new DatabaseCredentials(BacktrackEnvironment.DB_SECRET, null, null)), null, null, null, null, null, null,
                null, null, null, new RestoreDrill(null, null, null)));
        env.client().resource(drill).create();

        Restore refused = env.awaitRestore(NS, "live-target", r -> r.getStatus() != null && r.getStatus().phase() != null
                && r.getStatus().phase().isTerminal(), ScheduleSteps.TIMEOUT);
        assertThat(refused.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(refused.getStatus().message()).contains("is the backed-up database");
        assertThat(refused.getStatus().conditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("LiveDatabaseTarget"));
        assertThat(refused.getStatus().jobName()).isNull();
        assertThat(env.client().batch().v1().jobs().inNamespace(NS).withLabel(BacktrackApi.RESTORE_LABEL, "live-target")
                .list().getItems()).isEmpty();
    }
}
