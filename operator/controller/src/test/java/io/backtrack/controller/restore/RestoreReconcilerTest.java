package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.controller.storage.TestStorages;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.api.restore.RestoreSource;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.backup.LastVerified;
import io.backtrack.api.drill.DrillCheck;
import io.backtrack.api.drill.DrillOutcome;
import io.backtrack.api.drill.RestoreDrill;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.contract.result.DrillCheckResult;
import io.backtrack.contract.result.DrillResult;
import io.backtrack.api.restore.Quiesce;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.RolesPolicy;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.RestoreResult;
import io.backtrack.contract.result.ResultLine;
import io.backtrack.contract.result.RowCountMismatch;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.controller.ListedSource;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The Restore reconciler's branches, reconcile() and cleanup() called directly against an in-memory API server. */
@EnableKubernetesMockClient(crud = true)
class RestoreReconcilerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T03:15:00Z");
    private static final String FOLDER = "prod/shop/orders-nightly";

    KubernetesClient client;
    private TestCluster cluster;
    private RestoreReconciler reconciler;
    private ListedSource<Job, Restore> stepJobs;

    @BeforeEach
    void operator() {
        cluster = new TestCluster(client, NOW);
        reconciler = new RestoreReconciler(client, cluster.events, TestConfig.INSTANCE, cluster.clock, cluster.metrics,
                cluster.gate);
        reconciler.podsFrom(cluster.pendingPods());
        stepJobs = new ListedSource<>(client, Job.class);
        reconciler.stepJobsTo(stepJobs);
    }

    /** One reconcile, its status written back as JOSDK would; returns the Restore as the server then has it. */
    private Restore reconcile(Restore restore) {
        UpdateControl<Restore> control = reconciler.reconcile(restore, new TestContext<>(client, restore));
        return control.isPatchStatus() ? cluster.writeStatus(control.getResource().orElseThrow()) : cluster.reread(restore);
    }

    private Job job(Restore restore, RestoreStep step) {
        return client.batch().v1().jobs().inNamespace(TestCluster.NS).withName(RestoreJobs.name(restore, step)).get();
    }

    /** status/reason */
    private static String condition(Restore restore, ConditionType type) {
        Condition c = Conditions.find(restore.getStatus().conditions(), type);
        return c == null ? null : c.getStatus() + "/" + c.getReason();
    }

    private static Condition ready(Restore restore) {
        return Conditions.find(restore.getStatus().conditions(), ConditionType.Ready);
    }

    @Test
    void aRestoreOfABackupThatDoesNotExistFailsTouchingNothing() {
        Restore restore = reconcile(cluster.create(restore("missing", RestoreStrategy.swap, null, null)));

        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(ready(restore).getReason()).isEqualTo("BackupNotFound");
        assertThat(condition(restore, ConditionType.Stalled)).isEqualTo("True/BackupNotFound");
        assertThat(condition(restore, ConditionType.Completed)).isEqualTo("True/Failed");
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();
    }

    @Test
    void aRestoreWaitsPendingForItsBackupToComplete() {
        cluster.withSecrets();
        Backup running = backup();
        running.setStatus(new BackupStatus(BackupPhase.Running, "running", NOW.toString(), null, null, "job", null,
                null, null, null, 1L, null));
        cluster.create(running);
        Restore created = cluster.create(restore("orders-nightly", RestoreStrategy.swap, null, null));

        UpdateControl<Restore> waiting = reconciler.reconcile(created, new TestContext<>(client, created));

        Restore restore = waiting.getResource().orElseThrow();
        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Pending);
        assertThat(ready(restore).getReason()).isEqualTo("BackupNotCompleted");
        assertThat(condition(restore, ConditionType.Reconciling)).isEqualTo("True/BackupNotCompleted");
        assertThat(condition(restore, ConditionType.Completed)).isEqualTo("False/BackupNotCompleted");
        assertThat(waiting.getScheduleDelay()).isPresent();
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();
    }

    @Test
    void theCheckStepRunsFirstAndTheBackupIsProtected() {
        Restore restore = started(RestoreStrategy.swap, null, null);

        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Pending);
        assertThat(ready(restore).getReason()).isEqualTo("Checking");
        Job check = job(restore, RestoreStep.CHECK);
        assertThat(check.getMetadata().getLabels()).containsEntry(BacktrackApi.STEP_LABEL, "check");
        assertThat(check.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSubsequence("--step", "check");
        assertThat(restore.getStatus().jobName()).isEqualTo(check.getMetadata().getName());
        assertThat(backupProtected()).isTrue();
        assertThat(stepJobs.handedOver).as("the Job informer knows its add is this reconcile's own doing")
                .extracting(j -> j.getMetadata().getName()).containsExactly(check.getMetadata().getName());
    }

    @Test
    void aStepWhosePodNoNodeCanTakeWaitsInItsPhaseAndOneThatCannotPullTheImageFailsTouchingNothing() {
        Restore restore = started(RestoreStrategy.swap, null, null);
        Job check = job(restore, RestoreStep.CHECK);
        check.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withActive(1).withReady(0).build());
        client.resource(check).updateStatus();
        var pod = client.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName(check.getMetadata().getName() + "-x").withNamespace(TestCluster.NS)
                .withLabels(java.util.Map.of("job-name", check.getMetadata().getName()))
                .withCreationTimestamp(NOW.minusSeconds(90).toString()).endMetadata().withNewSpec().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 node(s) had untolerated taint.")
                .endCondition().endStatus().build()).create();

        restore = reconcile(restore);
        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Pending);
        assertThat(condition(restore, ConditionType.Reconciling)).isEqualTo("True/Unschedulable");
        assertThat(ready(restore).getMessage()).contains("untolerated taint");
        assertThat(cluster.events.withReason("Unschedulable")).hasSize(1);

        pod.getSpec().setNodeName("node-a");
        pod.getStatus().setConditions(List.of());
        pod.getStatus().setStartTime(NOW.minusSeconds(60).toString());
        pod.getStatus().setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                .withName("agent").withImage("registry.example.com/agent:nope").withNewState().withNewWaiting()
                .withReason("ErrImagePull").endWaiting().endState().build()));
        client.resource(pod).update();
        restore = reconcile(restore);

        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(condition(restore, ConditionType.Stalled)).isEqualTo("True/ImagePullFailed");
        assertThat(restore.getStatus().message()).contains("registry.example.com/agent:nope", "nothing was read or written");
        assertThat(backupProtected()).isFalse();
        assertThat(job(restore, RestoreStep.CHECK)).as("not yet: once the failed status is seen").isNotNull();
        reconcile(restore);
        assertThat(job(restore, RestoreStep.CHECK)).as("the failed Restore's Job is stopped").isNull();
    }

    @Test
    void argumentsTheCheckRefusesAreAnInvalidSpecAndTheBackupIsReleased() {
        Restore restore = started(RestoreStrategy.swap, null, null);
        cluster.finish(job(restore, RestoreStep.CHECK), false, 1, ResultLine.failure(Reason.InvalidArguments,
                "--table public.nope is not in the backup", null).toJson());

        restore = reconcile(restore);

        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(ready(restore).getReason()).isEqualTo("InvalidSpec");
        assertThat(restore.getStatus().message()).contains("public.nope").endsWith("; nothing was touched");
        assertThat(backupProtected()).isFalse();
    }

    @Test
    void anInPlaceRestoreEndsWithItsRestoreStepWhichComparedTheRowCountsInsideItsTransaction() {
        Restore restore = checked(started(RestoreStrategy.inPlace, false, null));
        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Restoring);
        assertThat(restore.getStatus().archiveVerified()).isTrue();
        succeeded(restore, RestoreStep.RESTORE, r -> r.archiveVerified(null).counts(2, 30, 30L, List.of())
                .verified(true, true));

        restore = reconcile(restore);

        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Completed);
        assertThat(ready(restore).getReason()).isEqualTo("Completed");
        assertThat(condition(restore, ConditionType.Completed)).isEqualTo("True/Succeeded");
        assertThat(condition(restore, ConditionType.Reconciling)).isEqualTo("False/Completed");
        assertThat(restore.getStatus().verification().rowsRestored()).isEqualTo(30L);
        assertThat(restore.getStatus().verification().mismatches()).isEmpty();
        assertThat(job(restore, RestoreStep.COMPARE)).as("no compare Job for inPlace").isNull();
        assertThat(backupProtected()).isFalse();
    }

    @Test
    void whatAnInPlaceRestoreLeavesInTheTargetIsAWarningBeforeAnythingIsTouched() {
        Restore restore = started(RestoreStrategy.inPlace, false, null);
        succeeded(restore, RestoreStep.CHECK, r -> r.archiveVerified(4000L).inScope(2, 30)
                .inPlaceCheck(120, List.of("public.made_later", "public.notes"), 2));
        restore = reconcile(restore);
        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Restoring);
        assertThat(cluster.events.withReason("ObjectsKept")).singleElement().asString()
                .contains("2 object(s)").contains("public.made_later").contains("strategy swap");
    }

    @Test
    void rolesTheTargetLacksAreAnnouncedAtTheCheckAndTheOnesCreatedAreRecorded() {
        cluster.withSecrets();
        cluster.create(completedBackup());
        Restore created = restore("orders-nightly", RestoreStrategy.newDatabase, null, null);
        RestoreSpec s = created.getSpec();
        created.setSpec(new RestoreSpec(s.backupName(), null, null, s.strategy(), null, null, null, null, null, null,
                RolesPolicy.createMissing, true, null));
        Restore restore = reconcile(cluster.create(created));
        assertThat(job(restore, RestoreStep.CHECK).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSubsequence("--roles", "createMissing").contains("--no-owner");

        succeeded(restore, RestoreStep.CHECK, r -> r.archiveVerified(4000L).inScope(2, 30)
                .rolesToCreate(List.of("app_owner", "readers")));
        restore = reconcile(restore);
        assertThat(cluster.events.withReason("RolesMissing")).singleElement().asString()
                .contains("app_owner, readers").contains("creates them");
        assertThat(job(restore, RestoreStep.RESTORE).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSubsequence("--roles", "createMissing");

        succeeded(restore, RestoreStep.RESTORE, r -> r.archiveVerified(null).rolesCreated(List.of("app_owner", "readers")));
        restore = reconcile(restore);
        assertThat(restore.getStatus().rolesCreated()).containsExactly("app_owner", "readers");
        assertThat(cluster.events.withReason("RolesCreated")).singleElement().asString().contains("app_owner, readers");
    }

    @Test
    void aSwapComparesInItsOwnStepAndAMismatchFailsWithTheCountsAndBringsTheWorkloadsBack() {
        deployment("orders-api", 3);
        Restore restore = checked(started(RestoreStrategy.swap, false, new Quiesce(List.of("orders-api"), null)));
        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Quiescing);
        restore = quiesced(restore, "orders-api");
        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Restoring);
        succeeded(restore, RestoreStep.RESTORE, r -> r);
        restore = reconcile(restore);
        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Verifying);
        assertThat(job(restore, RestoreStep.COMPARE).getMetadata().getLabels())
                .containsEntry(BacktrackApi.STEP_LABEL, "compare");
        cluster.finish(job(restore, RestoreStep.COMPARE), false, 1, ResultLine.failure(Reason.VerificationFailed,
                "1 table(s) have different row counts", stepResult(restore, RestoreStep.COMPARE).counts(2, 30, 29L,
                        List.of(new RowCountMismatch("public", "customers", 11L, 10L))).verified(false, null).build())
                .toJson());

        restore = reconcile(restore);

        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(ready(restore).getReason()).isEqualTo("VerificationFailed");
        assertThat(restore.getStatus().verification().mismatches()).singleElement()
                .satisfies(m -> assertThat(m.actual()).isEqualTo(10L));
        assertThat(replicas("orders-api")).as("scaled back").isEqualTo(3);
    }

    @Test
    void deletingARunningRestoreStopsItsJobThenBringsTheWorkloadsBackAndReleasesTheBackup() {
        deployment("orders-api", 2);
        Restore restore = quiesced(checked(started(RestoreStrategy.newDatabase, false,
                new Quiesce(List.of("orders-api"), null))), "orders-api");
        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Restoring);

        DeleteControl stopping = reconciler.cleanup(restore, new TestContext<>(client, restore));
        assertThat(stopping.isRemoveFinalizer()).isFalse();
        assertThat(job(restore, RestoreStep.RESTORE)).as("the running step's Job is deleted first").isNull();

        DeleteControl resumed = reconciler.cleanup(restore, new TestContext<>(client, restore));

        assertThat(resumed.isRemoveFinalizer()).isTrue();
        assertThat(replicas("orders-api")).isEqualTo(2);
        assertThat(backupProtected()).isFalse();
        assertThat(cluster.events.withReason("Aborted")).singleElement().asString().contains("deleted during Restoring");
    }

    @Test
    void aDrillRunsOneLabelledJobIntoItsScratchDatabaseThenRecordsRecoveryTimeOnTheRestoreAndTheBackup() {
        cluster.withSecrets();
        cluster.create(completedBackup());
        Restore drill = reconcile(cluster.create(drill("orders-db.shop.svc", "orders_drill_1",
                List.of(new DrillCheck("recent", "SELECT count(*) FROM orders", "> 0")))));

        assertThat(drill.getStatus().phase()).isEqualTo(RestorePhase.Restoring);
        assertThat(ready(drill).getReason()).isEqualTo("Drilling");
        assertThat(backupProtected()).as("the drilled Backup is protected from pruning").isTrue();
        Job job = client.batch().v1().jobs().inNamespace(TestCluster.NS).withName(DrillJobs.name(drill)).get();
        assertThat(job.getMetadata().getLabels()).containsEntry(BacktrackApi.ROLE_LABEL, BacktrackApi.DRILL)
                .containsEntry(BacktrackApi.STEP_LABEL, BacktrackApi.DRILL)
                .containsEntry(BacktrackApi.RESTORE_LABEL, "rollback");
        List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertThat(args).startsWith("drill").containsSequence("--dbname", "orders_drill_1")
                .containsSequence("--check", "recent", "--sql", "SELECT count(*) FROM orders", "--expect", "> 0")
                .doesNotContain("--keep");
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).hasSize(1);

        cluster.finish(job, true, 0, ResultLine.success(drillResult().recoverySeconds(41.2)
                .checks(List.of(new DrillCheckResult("recent", "> 0", true, "30", null))).scratchKept(false).build()).toJson());
        drill = reconcile(drill);

        assertThat(drill.getStatus().phase()).isEqualTo(RestorePhase.Completed);
        assertThat(drill.getStatus().archiveVerified()).isTrue();
        assertThat(drill.getStatus().verification().rowsRestored()).isEqualTo(30L);
        assertThat(drill.getStatus().drill().recoverySeconds()).isEqualTo(41.2);
        assertThat(drill.getStatus().drill().checks()).singleElement().satisfies(c -> assertThat(c.ok()).isTrue());
        LastVerified verified = cluster.reread(backup()).getStatus().lastVerified();
        assertThat(verified.result()).isEqualTo(DrillOutcome.Succeeded);
        assertThat(verified.recoverySeconds()).isEqualTo(41.2);
        assertThat(verified.restore()).isEqualTo("rollback");
        assertThat(backupProtected()).isFalse();
    }

    @Test
    void aDrillOfACorruptArchiveFailsWithTheAgentsReasonAndMarksTheBackupFailedDeletingNothing() {
        cluster.withSecrets();
        cluster.create(completedBackup());
        Restore drill = reconcile(cluster.create(drill("scratch-db.ops.svc", "orders_drill_1", null)));
        cluster.finish(client.batch().v1().jobs().inNamespace(TestCluster.NS).withName(DrillJobs.name(drill)).get(),
                false, 1, ResultLine.failure(Reason.ArchiveCorrupt, "SHA-256 differs", new DrillResult.Builder(
                        "orders_drill_1").scratchKept(false).build()).toJson());
        drill = reconcile(drill);

        assertThat(drill.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(ready(drill).getReason()).isEqualTo("ArchiveCorrupt");
        assertThat(cluster.reread(backup()).getStatus().lastVerified().result()).isEqualTo(DrillOutcome.Failed);
        assertThat(cluster.reread(backup()).getStatus().lastVerified().reason()).isEqualTo("ArchiveCorrupt");
        assertThat(cluster.reread(backup())).as("nothing is deleted").isNotNull();
        assertThat(cluster.events.withReason("ArchiveCorrupt")).isNotEmpty();
    }

    @Test
    void aDrillJobThatExitsZeroWithoutAVerifiedResultIsAFailureNotAProof() {
        cluster.withSecrets();
        cluster.create(completedBackup());
        Restore drill = reconcile(cluster.create(drill("scratch-db.ops.svc", "orders_drill_1", null)));
        cluster.finish(client.batch().v1().jobs().inNamespace(TestCluster.NS).withName(DrillJobs.name(drill)).get(),
                true, 0, ResultLine.success(new DrillResult.Builder("orders_drill_1").recoverySeconds(1.0)
                        .scratchKept(false).build()).toJson());
        drill = reconcile(drill);

        assertThat(drill.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(ready(drill).getReason()).isEqualTo("JobFailed");
        assertThat(cluster.reread(backup()).getStatus().lastVerified()).isNull();
    }

    @Test
    void aDrillWhoseTargetIsTheLiveDatabaseIsRefusedBeforeAnyJob() {
        cluster.withSecrets();
        cluster.create(completedBackup());
        // orders-db.shop and orders-db.shop.svc are one Service seen from namespace shop.
        Restore drill = reconcile(cluster.create(drill("orders-db.shop", "orders", null)));

        assertThat(drill.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(ready(drill).getReason()).isEqualTo("LiveDatabaseTarget");
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();
        assertThat(cluster.reread(backup()).getStatus().lastVerified()).as("proves nothing about the backup").isNull();
    }

    @Test
    void aDrillWithAnExpectationTheAgentWouldRefuseIsAnInvalidSpec() {
        cluster.withSecrets();
        cluster.create(completedBackup());
        Restore drill = reconcile(cluster.create(drill("scratch-db.ops.svc", "orders_drill_1",
                List.of(new DrillCheck("bad", "SELECT 1", "> lots")))));

        assertThat(ready(drill).getReason()).isEqualTo("InvalidSpec");
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();
    }

    private static Restore drill(String host, String scratch, List<DrillCheck> checks) {
        Restore r = restore("orders-nightly", RestoreStrategy.newDatabase, null, null);
        RestoreSpec s = r.getSpec();
        r.setSpec(new RestoreSpec(s.backupName(), null, new RestoreTarget(host, null, scratch,
                new DatabaseCredentials(TestCluster.DB_SECRET, null, null)), s.strategy(), null, null, null, null, null,
                null, null, null, new RestoreDrill(null, null, checks)));
        return r;
    }

    private static DrillResult.Builder drillResult() {
        return new DrillResult.Builder("orders_drill_1").restored(new RestoreResult.Builder(RestoreStep.ALL,
                io.backtrack.contract.wire.RestoreStrategy.NEW_DATABASE).archive(FOLDER, FOLDER + "/archive.pgdump.zst",
                "db-backups", "9f86d081884c7d659a2feaa0c55ad015", 4000).archiveVerified(4000L).database("orders_drill_1")
                .source("orders", "16.4").counts(2, 30, 30L, List.of()).build());
    }

    /** A Restore of the completed Backup, its Secrets in place, after its first reconcile (the check Job runs). */
    private Backup completedBackupOf(StorageRef storage) {
        Backup b = completedBackup();
        BackupSpec spec = b.getSpec();
        b.setSpec(new BackupSpec(spec.description(), spec.database(), null, storage, null, null,
                DeletionPolicy.Retain, null, null, null));
        return b;
    }

    @Test
    void aRestoreFromStorageByStorageRefReadsTheBackupStoragesBucket() {
        cluster.withSecrets();
        cluster.create(TestStorages.storage("team-backups", "team-bucket", "team", null));
        Restore r = restore(null, RestoreStrategy.newDatabase, null, null);
        r.setSpec(new RestoreSpec(null, new RestoreSource(null, new StorageRef("team-backups"), "team/shop/orders/"),
                new RestoreTarget("orders-db.shop.svc", null, "orders_copy",
                        new DatabaseCredentials(TestCluster.DB_SECRET, null, null)),
                RestoreStrategy.newDatabase, null, null, null, null, null, null, null, null, null));

        Restore restore = reconcile(cluster.create(r));

        assertThat(ready(restore).getReason()).isEqualTo("Checking");
        assertThat(restore.getStatus().source()).isEqualTo("s3://team-bucket/team/shop/orders");
        assertThat(job(restore, RestoreStep.CHECK).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSubsequence("--endpoint", "https://s3.eu-central-1.example", "--bucket", "team-bucket");
    }

    @Test
    void aBackupWhoseBackupStorageNowNamesAnotherBucketIsNotLookedForThere() {
        cluster.withSecrets();
        cluster.create(TestStorages.storage("team-backups", "new-bucket", "prod", null));
        cluster.create(completedBackupOf(new StorageRef("team-backups")));

        Restore restore = reconcile(cluster.create(restore("orders-nightly", RestoreStrategy.swap, null, null)));

        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(ready(restore).getReason()).isEqualTo("InvalidSpec");
        assertThat(restore.getStatus().message()).contains("is in bucket db-backups but its BackupStorage now names"
                + " bucket new-bucket").contains("source.key " + FOLDER);
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();
    }

    @Test
    void aRestoreWhoseBackupStorageGoesAwayAfterItStartedStopsInsteadOfStartingOver() {
        cluster.withSecrets();
        BackupStorage storage = cluster.create(TestStorages.storage("team-backups", "db-backups", "prod", null));
        cluster.create(completedBackupOf(new StorageRef("team-backups")));
        Restore restore = reconcile(cluster.create(restore("orders-nightly", RestoreStrategy.swap, null, null)));
        assertThat(ready(restore).getReason()).isEqualTo("Checking");
        client.resource(storage).delete();

        restore = reconcile(restore);

        assertThat(restore.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        assertThat(ready(restore).getReason()).isEqualTo("StorageNotFound");
        assertThat(restore.getStatus().message()).contains("the restore stopped after it had started");
        assertThat(backupProtected()).isFalse();
    }

    private Restore started(RestoreStrategy strategy, Boolean safetyBackup, Quiesce quiesce) {
        cluster.withSecrets();
        cluster.create(completedBackup());
        return reconcile(cluster.create(restore("orders-nightly", strategy, safetyBackup, quiesce)));
    }

    /** Its check step succeeded, and the reconcile after it. */
    private Restore checked(Restore restore) {
        succeeded(restore, RestoreStep.CHECK, r -> r.archiveVerified(4000L).inScope(2, 30));
        return reconcile(restore);
    }

    /** The workload's Pods are gone (the Deployment controller's part), and the reconcile after it. */
    private Restore quiesced(Restore restore, String deployment) {
        Deployment d = client.apps().deployments().inNamespace(TestCluster.NS).withName(deployment).get();
        d.setStatus(new DeploymentStatusBuilder().withReplicas(0).build());
        client.resource(d).updateStatus();
        return reconcile(restore);
    }

    private void succeeded(Restore restore, RestoreStep step, UnaryOperator<RestoreResult.Builder> fields) {
        cluster.finish(job(restore, step), true, 0,
                ResultLine.success(fields.apply(stepResult(restore, step)).build()).toJson());
    }

    private boolean backupProtected() {
        return cluster.reread(backup()).getMetadata().getFinalizers().contains(BacktrackApi.RESTORE_PROTECTION_FINALIZER);
    }

    /** The agent's result of a step of this Restore, as far as every step fills it. */
    private static RestoreResult.Builder stepResult(Restore restore, RestoreStep step) {
        return new RestoreResult.Builder(step, io.backtrack.contract.wire.RestoreStrategy.parse(
                restore.getSpec().strategyOrDefault().name())).archive(FOLDER, FOLDER + "/archive.pgdump.zst", "db-backups",
                "9f86d081884c7d659a2feaa0c55ad015", 4000).database("orders").source("orders", "16.4");
    }

    private static Restore restore(String backupName, RestoreStrategy strategy, Boolean safetyBackup, Quiesce quiesce) {
        Restore r = new Restore();
        r.setMetadata(new ObjectMetaBuilder().withName("rollback").withNamespace(TestCluster.NS).withUid("restore-uid")
                .withGeneration(1L).withFinalizers(BacktrackApi.RESTORE_FINALIZER).build());
        r.setSpec(new RestoreSpec(backupName, null, null, strategy, null, safetyBackup, null, quiesce, null, null, null, null, null));
        return r;
    }

    private static Backup backup() {
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName("orders-nightly").withNamespace(TestCluster.NS)
                .withUid("backup-uid").withGeneration(1L).withFinalizers(BacktrackApi.BACKUP_FINALIZER).build());
        b.setSpec(new BackupSpec(null, new DatabaseSpec(null, "orders-db.shop.svc", null, "orders",
                new DatabaseCredentials(TestCluster.DB_SECRET, null, null)),
                new StorageSpec(new S3Storage("http://minio.storage.svc:9000", "db-backups", null, "prod", true,
                        new S3Credentials(TestCluster.S3_SECRET, null, null), null, null)), null,
                null, null, DeletionPolicy.Retain, null, null, null));
        return b;
    }

    private static Backup completedBackup() {
        Backup b = backup();
        b.setStatus(new BackupStatus(BackupPhase.Completed, "done", NOW.toString(), NOW.toString(), 1.0, "job",
                new ArchiveStatus("db-backups", FOLDER, FOLDER + "/archive.pgdump.zst", FOLDER + "/manifest.json",
                        4000L, "3.9 KiB", "9f86d081884c", "9f86d081884c", "zstd", "custom"),
                null, null, null, 1L, null));
        return b;
    }

    private void deployment(String name, int replicas) {
        client.apps().deployments().inNamespace(TestCluster.NS).resource(new DeploymentBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewSpec().withReplicas(replicas).endSpec().build()).create();
    }

    private int replicas(String name) {
        return client.apps().deployments().inNamespace(TestCluster.NS).withName(name).get().getSpec().getReplicas();
    }
}
