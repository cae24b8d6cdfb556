package io.backtrack.controller.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.RetentionPolicy;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The BackupSchedule reconciler's branches, reconcile() and cleanup() called directly against an in-memory API server. */
@EnableKubernetesMockClient(crud = true)
class BackupScheduleReconcilerTest {
    private static final Instant ONE_AM = Instant.parse("2026-11-22T01:00:00Z");
    private static final Instant TWO_AM = Instant.parse("2026-11-22T02:00:00Z");

    KubernetesClient client;
    private TestCluster cluster;
    private BackupScheduleReconciler reconciler;

    @BeforeEach
    void operator() {
        cluster = new TestCluster(client, ONE_AM);
        reconciler = new BackupScheduleReconciler(client, cluster.events, cluster.clock, cluster.pruner,
                TestConfig.INSTANCE, cluster.metrics);
    }

    private UpdateControl<BackupSchedule> reconcileOnce(BackupSchedule schedule) {
        return reconciler.reconcile(schedule, new TestContext<>(client, schedule));
    }

    /** One reconcile, its status written back as JOSDK would. */
    private BackupSchedule reconcile(BackupSchedule schedule) {
        UpdateControl<BackupSchedule> control = reconcileOnce(schedule);
        return control.isPatchStatus() ? cluster.writeStatus(control.getResource().orElseThrow())
                : cluster.reread(schedule);
    }

    private List<Backup> backups() {
        return client.resources(Backup.class).inNamespace(TestCluster.NS).list().getItems().stream()
                .filter(b -> b.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private BackupSchedule nightly(RetentionPolicy retention) {
        return cluster.create(TestSchedules.schedule("0 2 * * *", "UTC", retention, TestSchedules.backupSpec(null)));
    }

    @Test
    void aDueRunCreatesItsBackupOnceAndTheStatusRecordsIt() {
        BackupSchedule schedule = reconcile(nightly(null));
        assertThat(schedule.getStatus().nextScheduleTime()).isEqualTo(TWO_AM.toString());
        assertThat(backups()).isEmpty();

        cluster.clock.set(TWO_AM.plusSeconds(5));
        schedule = reconcile(schedule);

        String run = RunNames.of("orders-nightly", TWO_AM);
        assertThat(backups()).singleElement().satisfies(b -> {
            assertThat(b.getMetadata().getName()).isEqualTo(run);
            assertThat(b.getMetadata().getLabels()).containsEntry(BacktrackApi.SCHEDULE_LABEL, "orders-nightly");
        });
        assertThat(schedule.getStatus().lastScheduleTime()).isEqualTo(TWO_AM.toString());
        assertThat(schedule.getStatus().active()).containsExactly(run);
        assertThat(schedule.getStatus().skippedRuns()).isZero();
        assertThat(Conditions.find(schedule.getStatus().conditions(), ConditionType.Ready).getReason())
                .isEqualTo("Scheduled");

        reconcile(schedule);
        assertThat(backups()).as("never a second Backup for the same run").hasSize(1);
        assertThat(cluster.events.withReason("RunStarted")).hasSize(1);
    }

    @Test
    void aRunDueWhileTheLastStillRunsIsSkippedUnderForbid() {
        BackupSchedule schedule = reconcile(nightly(null));
        client.resource(ScheduledBackups.forRun(schedule, ONE_AM)).create();

        cluster.clock.set(TWO_AM.plusSeconds(5));
        schedule = reconcile(schedule);

        assertThat(backups()).hasSize(1);
        assertThat(schedule.getStatus().skippedRuns()).isEqualTo(1L);
        assertThat(schedule.getStatus().lastSkippedRun().reason()).isEqualTo("ConcurrencyForbid");
        assertThat(schedule.getStatus().lastScheduleTime()).isEqualTo(TWO_AM.toString());
        assertThat(cluster.events.withReason("RunSkipped")).hasSize(1);
    }

    @Test
    void anInvalidScheduleIsRefusedOnceWithItsReason() {
        BackupSchedule schedule = cluster.create(TestSchedules.schedule("0 25 * * *", "UTC", null,
                TestSchedules.backupSpec(null)));

        schedule = reconcile(schedule);

        var ready = Conditions.find(schedule.getStatus().conditions(), ConditionType.Ready);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSchedule");
        assertThat(schedule.getStatus().nextScheduleTime()).isNull();
        assertThat(reconcileOnce(schedule).isNoUpdate()).as("already said").isTrue();
        assertThat(cluster.events.withReason("InvalidSchedule")).hasSize(1);
    }

    @Test
    void retentionPrunesTheCompletedBackupsNoRuleKeeps() {
        BackupSchedule schedule = reconcile(nightly(new RetentionPolicy(1, null, null, null, null, null, null)));
        for (int day = 19; day <= 21; day++) {
            Instant due = Instant.parse("2026-11-" + day + "T02:00:00Z");
            Backup b = ScheduledBackups.forRun(schedule, due);
            b.setStatus(new BackupStatus(BackupPhase.Completed, "done", due.toString(), due.plusSeconds(60).toString(),
                    60.0, "job", null, null, null, null, 1L));
            cluster.create(b);
        }

        schedule = reconcile(schedule);

        assertThat(backups()).extracting(b -> b.getMetadata().getName())
                .containsExactly(RunNames.of("orders-nightly", Instant.parse("2026-11-21T02:00:00Z")));
        assertThat(schedule.getStatus().retention().kept()).isEqualTo(1);
        assertThat(schedule.getStatus().retention().pruned()).hasSize(2)
                .allSatisfy(p -> assertThat(p.reason()).isEqualTo("beyond keepLast 1"));
        assertThat(cluster.events.withReason("Pruned")).hasSize(2);
    }

    @Test
    void deletingAScheduleKeepsItsBackups() {
        BackupSchedule schedule = reconcile(nightly(null));
        client.resource(ScheduledBackups.forRun(schedule, ONE_AM)).create();

        DeleteControl deleted = reconciler.cleanup(schedule, new TestContext<>(client, schedule));

        assertThat(deleted.isRemoveFinalizer()).isTrue();
        assertThat(backups()).hasSize(1);
        assertThat(cluster.events.withReason("BackupsKept")).singleElement().asString().contains("1 Backups");
    }
}
