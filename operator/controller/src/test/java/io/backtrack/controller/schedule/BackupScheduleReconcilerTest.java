package io.backtrack.controller.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.drill.DrillCheck;
import io.backtrack.api.drill.DrillOutcome;
import io.backtrack.api.drill.DrillSpec;
import io.backtrack.api.drill.DrillTarget;
import io.backtrack.api.drill.RestoreDrillStatus;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStatus;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.Verification;
import io.backtrack.api.schedule.BackupScheduleSpec;
import io.backtrack.controller.metrics.BacktrackMetrics;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.backtrack.api.schedule.RetentionPolicy;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.concurrency.DueFirings;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
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
                TestConfig.INSTANCE, cluster.metrics, cluster.firings);
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
    void backupStartsWaitForADueRunOnlyUntilItsScheduleCreatedIt() {
        BackupSchedule schedule = reconcile(nightly(null));
        assertThat(cluster.firings.holdStarts(TWO_AM.minusSeconds(1))).as("not due yet").isFalse();
        assertThat(cluster.firings.holdStarts(TWO_AM)).as("due, not created yet").isTrue();

        cluster.clock.set(TWO_AM.plusSeconds(1));
        reconcile(schedule);

        assertThat(backups()).hasSize(1);
        assertThat(cluster.firings.holdStarts(TWO_AM.plusSeconds(1))).as("created").isFalse();
    }

    @Test
    void whileOtherRunsAreDueTheStatusOfAFiringIsWrittenByTheNextReconcile() {
        BackupSchedule schedule = reconcile(nightly(null));
        var other = new ResourceID("orders-hourly", TestCluster.NS);
        cluster.firings.expect(other, TWO_AM);

        cluster.clock.set(TWO_AM.plusSeconds(1));
        UpdateControl<BackupSchedule> fired = reconcileOnce(schedule);

        assertThat(backups()).hasSize(1);
        assertThat(fired.isNoUpdate()).isTrue();
        assertThat(fired.getScheduleDelay()).contains(DueFirings.HOLD.toMillis());

        cluster.firings.expect(other, TWO_AM.plusSeconds(3600));
        cluster.clock.set(TWO_AM.plusSeconds(2));
        schedule = reconcile(cluster.reread(schedule));

        assertThat(backups()).as("never a second Backup for the same run").hasSize(1);
        assertThat(schedule.getStatus().lastScheduleTime()).isEqualTo(TWO_AM.toString());
        assertThat(schedule.getStatus().nextScheduleTime()).isEqualTo(TWO_AM.plusSeconds(86_400).toString());
        assertThat(schedule.getStatus().active()).containsExactly(RunNames.of("orders-nightly", TWO_AM));
        assertThat(cluster.events.withReason("RunStarted")).hasSize(1);
    }

    @Test
    void aFiringThatPrunedWritesItsStatusAtOnceEvenWhileOtherRunsAreDue() {
        BackupSchedule schedule = reconcile(nightly(new RetentionPolicy(1, null, null, null, null, null, null)));
        for (int day = 20; day <= 21; day++) {
            completedRun(schedule, Instant.parse("2026-11-" + day + "T02:00:00Z"));
        }
        cluster.firings.expect(new ResourceID("orders-hourly", TestCluster.NS), TWO_AM);

        cluster.clock.set(TWO_AM.plusSeconds(1));
        UpdateControl<BackupSchedule> fired = reconcileOnce(schedule);

        assertThat(fired.isPatchStatus()).as("what was pruned is recorded by no later reconcile").isTrue();
        assertThat(fired.getResource().orElseThrow().getStatus().retention().pruned()).hasSize(1);
        assertThat(fired.getResource().orElseThrow().getStatus().lastScheduleTime()).isEqualTo(TWO_AM.toString());
    }

    @Test
    void aSuspendedScheduleHoldsNoBackupStart() {
        BackupSchedule schedule = reconcile(nightly(null));
        var spec = schedule.getSpec();
        reconcile(withSpec(schedule, new BackupScheduleSpec(spec.schedule(), spec.timeZone(), true,
                spec.concurrencyPolicy(), spec.startingDeadlineSeconds(), spec.backupTemplate(), spec.retention(),
                spec.failedBackupsHistoryLimit(), spec.drill())));

        assertThat(cluster.firings.holdStarts(TWO_AM)).isFalse();
    }

    @Test
    void aScheduleRefusedOrDeletedHoldsNoBackupStart() {
        BackupSchedule schedule = reconcile(nightly(null));
        var spec = schedule.getSpec();
        reconcile(withSpec(schedule, new BackupScheduleSpec("0 25 * * *", spec.timeZone(), spec.suspend(),
                spec.concurrencyPolicy(), spec.startingDeadlineSeconds(), spec.backupTemplate(), spec.retention(),
                spec.failedBackupsHistoryLimit(), spec.drill())));
        assertThat(cluster.firings.holdStarts(TWO_AM)).as("refused").isFalse();

        BackupSchedule again = reconcile(withSpec(cluster.reread(schedule), spec));
        assertThat(cluster.firings.holdStarts(TWO_AM)).isTrue();
        reconciler.cleanup(again, new TestContext<>(client, again));
        assertThat(cluster.firings.holdStarts(TWO_AM)).as("deleted").isFalse();
    }

    private BackupSchedule withSpec(BackupSchedule schedule, BackupScheduleSpec spec) {
        schedule.setSpec(spec);
        schedule.getMetadata().setGeneration(schedule.getMetadata().getGeneration() + 1);
        return client.resource(schedule).update();
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
        assertThat(Conditions.find(schedule.getStatus().conditions(), ConditionType.Stalled).getStatus()).isEqualTo("True");
        assertThat(schedule.getStatus().nextScheduleTime()).isNull();
        assertThat(reconcileOnce(schedule).isNoUpdate()).as("already said").isTrue();
        assertThat(cluster.events.withReason("InvalidSchedule")).hasSize(1);
    }

    @Test
    void aRunThatCannotBeCreatedMakesTheScheduleNotReadyUntilTheNextGoodReconcile() {
        BackupSchedule schedule = reconcile(nightly(null));
        var quota = new io.fabric8.kubernetes.client.KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(403).withMessage("backups.backtrack.io \"orders-nightly-20261122-0200\" is forbidden: exceeded quota: "
                        + "objects, requested: count/backups.backtrack.io=1, used: count/backups.backtrack.io=10").build());

        var control = reconciler.updateErrorStatus(schedule, new TestContext<>(client, schedule).retry(2, false), quota);

        BackupSchedule failing = cluster.writeStatus(control.getResource().orElseThrow());
        var ready = Conditions.find(failing.getStatus().conditions(), ConditionType.Ready);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("ReconcileError");
        assertThat(ready.getMessage()).contains("exceeded quota");
        assertThat(Conditions.find(failing.getStatus().conditions(), ConditionType.Reconciling).getStatus()).isEqualTo("True");
        assertThat(cluster.events.withReason("ReconcileError")).hasSize(1);

        BackupSchedule recovered = reconcile(failing);
        assertThat(Conditions.find(recovered.getStatus().conditions(), ConditionType.Ready).getReason()).isEqualTo("Scheduled");
        assertThat(Conditions.find(recovered.getStatus().conditions(), ConditionType.Reconciling).getStatus()).isEqualTo("False");
    }

    @Test
    void retentionPrunesTheCompletedBackupsNoRuleKeeps() {
        BackupSchedule schedule = reconcile(nightly(new RetentionPolicy(1, null, null, null, null, null, null)));
        for (int day = 19; day <= 21; day++) {
            Instant due = Instant.parse("2026-11-" + day + "T02:00:00Z");
            Backup b = ScheduledBackups.forRun(schedule, due);
            b.setStatus(new BackupStatus(BackupPhase.Completed, "done", due.toString(), due.plusSeconds(60).toString(),
                    60.0, "job", null, null, null, null, 1L, null));
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
    void aDrillEveryBackupRestoresTheNewestCompletedBackupOnceThenRecordsItsRecoveryTime() {
        BackupSchedule schedule = reconcile(withDrill(nightly(null), null, 1, "> 0"));
        assertThat(schedule.getStatus().drillSince()).isEqualTo(ONE_AM.toString());
        assertThat(drills()).as("no backup completed since drills were configured").isEmpty();

        completedRun(schedule, TWO_AM);
        cluster.clock.set(TWO_AM.plusSeconds(120));
        schedule = reconcile(schedule);

        Restore drill = drills().get(0);
        assertThat(drills()).hasSize(1);
        assertThat(drill.getMetadata().getLabels()).containsEntry(BacktrackApi.ROLE_LABEL, BacktrackApi.DRILL)
                .containsEntry(BacktrackApi.SCHEDULE_LABEL, "orders-nightly");
        assertThat(drill.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("BackupSchedule/orders-nightly"));
        assertThat(drill.getSpec().backupName()).isEqualTo(RunNames.of("orders-nightly", TWO_AM));
        assertThat(drill.getSpec().strategy()).isEqualTo(RestoreStrategy.newDatabase);
        assertThat(drill.getSpec().target().host()).isEqualTo("scratch-db.ops.svc");
        assertThat(drill.getSpec().target().database()).startsWith("orders_drill_");
        assertThat(drill.getSpec().job().activeDeadlineSeconds()).isEqualTo(3600L);
        assertThat(schedule.getStatus().activeDrill().result()).isEqualTo(DrillOutcome.Running);

        cluster.clock.set(TWO_AM.plusSeconds(180));
        schedule = reconcile(schedule);
        assertThat(drills()).as("never a second drill beside a running one").hasSize(1);

        ended(drill, RestorePhase.Completed, "Completed", 41.5);
        cluster.clock.set(TWO_AM.plusSeconds(240));
        schedule = reconcile(schedule);

        assertThat(schedule.getStatus().activeDrill()).isNull();
        assertThat(schedule.getStatus().lastDrill().result()).isEqualTo(DrillOutcome.Succeeded);
        assertThat(schedule.getStatus().lastDrill().recoverySeconds()).isEqualTo(41.5);
        assertThat(schedule.getStatus().lastDrill().tables()).isEqualTo(2);
        assertThat(schedule.getStatus().drillHistory()).hasSize(1);
        assertThat(schedule.getStatus().backupsSinceLastDrill()).isZero();
        assertThat(Conditions.find(schedule.getStatus().conditions(), ConditionType.DrillFailed).getStatus())
                .isEqualTo("False");
        assertThat(cluster.events.withReason("DrillSucceeded")).hasSize(1);
        assertThat(cluster.registry.get(BacktrackMetrics.DRILL_RECOVERY).gauge().value()).isEqualTo(41.5);
        assertThat(cluster.registry.get(BacktrackMetrics.DRILL_LAST_SUCCESS).gauge().value()).isPositive();
        assertThat(drills()).as("no new backup since: no new drill").hasSize(1);
    }

    @Test
    void aFailedDrillRaisesDrillFailedWithItsReasonAndDeletesNothing() {
        BackupSchedule schedule = reconcile(withDrill(nightly(null), null, 1, "> 0"));
        completedRun(schedule, TWO_AM);
        cluster.clock.set(TWO_AM.plusSeconds(120));
        schedule = reconcile(schedule);
        ended(drills().get(0), RestorePhase.Failed, "ArchiveCorrupt", null);
        schedule = reconcile(schedule);

        var failed = Conditions.find(schedule.getStatus().conditions(), ConditionType.DrillFailed);
        assertThat(failed.getStatus()).isEqualTo("True");
        assertThat(failed.getReason()).isEqualTo("ArchiveCorrupt");
        assertThat(schedule.getStatus().lastDrill().reason()).isEqualTo("ArchiveCorrupt");
        assertThat(cluster.events.withReason("DrillFailed")).hasSize(1);
        assertThat(backups()).hasSize(1);
        assertThat(drills()).hasSize(1);
        assertThat(Conditions.find(schedule.getStatus().conditions(), ConditionType.Ready).getReason())
                .as("the backups are not affected").isEqualTo("Scheduled");
    }

    @Test
    void aDrillOnAClockIsDueAtItsOwnTimesAndAnInvalidDrillOnlyStopsTheDrills() {
        BackupSchedule schedule = reconcile(withDrill(nightly(null), "30 1 * * *", null, "> 0"));
        assertThat(schedule.getStatus().nextDrillTime()).isEqualTo("2026-11-22T01:30:00Z");

        BackupSchedule invalid = reconcile(withDrill(schedule, "30 1 * * *", null, "> lots"));
        var failed = Conditions.find(invalid.getStatus().conditions(), ConditionType.DrillFailed);
        assertThat(failed.getReason()).isEqualTo("InvalidSpec");
        assertThat(failed.getMessage()).contains("drill.checks");
        assertThat(Conditions.find(invalid.getStatus().conditions(), ConditionType.Ready).getReason()).isEqualTo("Scheduled");
        assertThat(invalid.getStatus().nextScheduleTime()).isEqualTo(TWO_AM.toString());
    }

    @Test
    void aDrillDueWhileTheLastStillRunsIsSkippedAndTheNextTimeComesUp() {
        BackupSchedule schedule = reconcile(withDrill(nightly(null), "30 * * * *", null, "> 0"));
        completedRun(schedule, ONE_AM.minusSeconds(3600));
        cluster.clock.set(Instant.parse("2026-11-22T01:30:05Z"));
        schedule = reconcile(schedule);
        assertThat(drills()).hasSize(1);
        assertThat(schedule.getStatus().nextDrillTime()).isEqualTo("2026-11-22T02:30:00Z");

        cluster.clock.set(Instant.parse("2026-11-22T02:30:05Z"));
        UpdateControl<BackupSchedule> control = reconcileOnce(schedule);
        schedule = control.isPatchStatus() ? cluster.writeStatus(control.getResource().orElseThrow()) : schedule;

        assertThat(drills()).as("never two drills of one schedule at a time").hasSize(1);
        assertThat(schedule.getStatus().nextDrillTime()).isEqualTo("2026-11-22T03:30:00Z");
        assertThat(control.getScheduleDelay()).hasValueSatisfying(d -> assertThat(d).isPositive());
        assertThat(cluster.events.withReason("DrillSkipped")).singleElement().asString().contains("still runs");
    }

    private BackupSchedule withDrill(BackupSchedule schedule, String cron, Integer everyBackups, String expect) {
        var spec = schedule.getSpec();
        schedule.setSpec(new BackupScheduleSpec(spec.schedule(), spec.timeZone(), spec.suspend(), spec.concurrencyPolicy(),
                spec.startingDeadlineSeconds(), spec.backupTemplate(), spec.retention(), spec.failedBackupsHistoryLimit(),
                new DrillSpec(cron, everyBackups, new DrillTarget("scratch-db.ops.svc", null,
                        new DatabaseCredentials("drill-db", null, null)), null, null, null, null,
                        List.of(new DrillCheck("orders", "SELECT count(*) FROM orders", expect)), null)));
        return client.resource(schedule).update();
    }

    private void completedRun(BackupSchedule schedule, Instant due) {
        Backup b = ScheduledBackups.forRun(schedule, due);
        b.setStatus(new BackupStatus(BackupPhase.Completed, "done", due.toString(), due.plusSeconds(60).toString(),
                60.0, "job", null, null, null, null, 1L, null));
        cluster.create(b);
    }

    private List<Restore> drills() {
        return client.resources(Restore.class).inNamespace(TestCluster.NS).list().getItems();
    }

    private void ended(Restore drill, RestorePhase phase, String reason, Double recoverySeconds) {
        Restore r = cluster.reread(drill);
        r.setStatus(new RestoreStatus(phase, "done", null, null, null, null, true, new Verification(2, 30L, 30L, List.of(), null),
                null, null, null, TWO_AM.toString(), TWO_AM.plusSeconds(200).toString(), 80.0,
                List.of(new ConditionBuilder().withType("Ready").withStatus(phase == RestorePhase.Completed ? "True" : "False")
                        .withReason(reason).build()), 1L,
                new RestoreDrillStatus(drill.getSpec().target().database(), false, recoverySeconds, List.of())));
        cluster.writeStatus(r);
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
