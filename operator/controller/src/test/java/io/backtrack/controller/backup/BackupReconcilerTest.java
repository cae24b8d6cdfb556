package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.CompressionAlgorithm;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.ResultLine;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.concurrency.DueFirings;
import io.backtrack.controller.status.Conditions;
import io.backtrack.controller.storage.TestStorages;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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

/** The Backup reconciler's branches, reconcile() and cleanup() called directly against an in-memory API server. */
@EnableKubernetesMockClient(crud = true)
class BackupReconcilerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T02:00:00Z");

    KubernetesClient client;
    private TestCluster cluster;
    private BackupReconciler reconciler;

    @BeforeEach
    void operator() {
        cluster = new TestCluster(client, NOW);
        reconciler = new BackupReconciler(client, cluster.events, TestConfig.INSTANCE, cluster.clock, cluster.pruner,
                cluster.metrics, cluster.gate, cluster.firings);
        reconciler.podsFrom(cluster.pendingPods());
    }

    private UpdateControl<Backup> reconcile(Backup backup) {
        return reconciler.reconcile(backup, new TestContext<>(client, backup).source(BackupReconciler.RESTORES,
                cluster.restores).source(BackupReconciler.JOBS, cluster.jobs));
    }

    private Backup created(String name, DeletionPolicy policy, Compression compression) {
        var spec = TestBackups.spec(compression, null, "720h");
        return cluster.create(TestBackups.backup(name, new io.backtrack.api.backup.BackupSpec(spec.description(),
                spec.database(), spec.storage(), spec.storageRef(), spec.compression(), spec.scope(), policy, spec.ttl(), spec.job(), null)));
    }

    private static Condition ready(Backup backup) {
        return Conditions.find(backup.getStatus().conditions(), ConditionType.Ready);
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems();
    }

    @Test
    void aNewBackupStartsExactlyOneJobAndRuns() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);

        UpdateControl<Backup> started = reconcile(backup);

        assertThat(started.isPatchStatus()).isTrue();
        BackupStatus status = started.getResource().orElseThrow().getStatus();
        assertThat(status.phase()).isEqualTo(BackupPhase.Running);
        assertThat(status.jobName()).isEqualTo(BackupJobs.backupJobName(backup));
        assertThat(ready(started.getResource().orElseThrow()).getReason()).isEqualTo("Running");
        assertThat(jobs()).singleElement().satisfies(j -> assertThat(j.getMetadata().getName()).isEqualTo(status.jobName()));
        assertThat(cluster.jobs.handedOver).as("the Job informer knows its add is this reconcile's own doing")
                .singleElement().satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(jobs().get(0).getMetadata().getUid()));
        assertThat(cluster.events.withReason("Started")).hasSize(1);

        Backup running = cluster.writeStatus(backupWith(backup, status));
        assertThat(reconcile(running).isNoUpdate()).as("the Job runs: nothing to write").isTrue();
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void aBackupWaitsToStartWhileAScheduledRunIsDueAndNotCreatedYet() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        var nightly = new ResourceID("orders-nightly", TestCluster.NS);
        cluster.firings.expect(nightly, NOW.minusSeconds(1));

        UpdateControl<Backup> held = reconcile(backup);

        assertThat(held.isNoUpdate()).isTrue();
        assertThat(held.getScheduleDelay()).contains(DueFirings.HOLD.toMillis());
        assertThat(jobs()).isEmpty();

        cluster.firings.expect(nightly, NOW.plusSeconds(86_400));
        assertThat(reconcile(cluster.reread(backup)).isPatchStatus()).as("its run created: it starts").isTrue();
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void aDiscoveredBackupNeverStartsAJobAndItsStatusIsLeftToItsImport() {
        cluster.withSecrets();
        Backup found = new Backup();
        found.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("orders-1")
                .withNamespace(TestCluster.NS).withGeneration(1L).build());
        found.setSpec(new io.backtrack.api.backup.BackupSpec("nightly", null, null,
                new io.backtrack.api.storage.StorageRef("old-cluster"), null, null, DeletionPolicy.Retain, null, null,
                null, null, io.backtrack.api.backup.BackupOrigin.Discovered));
        Backup waiting = cluster.create(found);

        assertThat(reconcile(waiting).isNoUpdate()).as("no status yet: the sync writes it").isTrue();
        assertThat(jobs()).isEmpty();
        assertThat(cluster.events.all()).isEmpty();

        Backup completed = cluster.writeStatus(backupWith(waiting, new BackupStatus(BackupPhase.Completed, "found",
                "2026-11-20T02:00:00Z", "2026-11-20T02:00:41Z", 41.0, null, null, null, null, null, 1L, null)));
        reconcile(completed);
        assertThat(jobs()).isEmpty();
        assertThat(cluster.reread(completed).getStatus().phase()).isEqualTo(BackupPhase.Completed);
    }

    @Test
    void aMissingSecretKeepsItPendingSaidOnceAndStartsNothing() {
        Backup backup = created("orders", DeletionPolicy.Retain, null);

        UpdateControl<Backup> refused = reconcile(backup);

        Backup pending = refused.getResource().orElseThrow();
        assertThat(pending.getStatus().phase()).isEqualTo(BackupPhase.Pending);
        assertThat(ready(pending).getReason()).isEqualTo("SecretNotFound");
        assertThat(ready(pending).getMessage()).contains("Secret shop/orders-db");
        assertThat(refused.getScheduleDelay()).contains(BackupReconciler.SECRET_RECHECK.toMillis());
        assertThat(jobs()).isEmpty();

        UpdateControl<Backup> again = reconcile(pending);
        assertThat(again.isNoUpdate()).as("already said").isTrue();
        assertThat(again.getScheduleDelay()).isPresent();
        assertThat(cluster.events.withReason("SecretNotFound")).hasSize(1);
    }

    @Test
    void theTlsSecretsAreCheckedBeforeAJobAndNoS3SecretIsNeededWithoutAStaticKey() {
        cluster.secret(TestCluster.DB_SECRET, "username", "password");
        var tls = new io.backtrack.api.database.DatabaseTls(io.backtrack.api.database.SslMode.verifyFull,
                new io.backtrack.api.tls.CaSecret("db-ca", null), new io.backtrack.api.tls.ClientCertSecret("db-client", null, null));
        Backup backup = cluster.create(TestBackups.backup("orders", TestBackups.spec(
                new io.backtrack.api.storage.S3Storage("https://s3.eu-central-1.amazonaws.com", "db-backups", "eu-central-1",
                        "prod", null, null, new io.backtrack.api.tls.CaSecret("corp-ca", "bundle.pem"), null), tls)));

        Backup pending = reconcile(backup).getResource().orElseThrow();
        assertThat(ready(pending).getReason()).isEqualTo("SecretNotFound");
        assertThat(ready(pending).getMessage()).contains("Secret shop/db-ca (database CA bundle) does not exist");
        cluster.secret("db-ca", "ca.crt");
        cluster.secret("db-client", "tls.crt");
        assertThat(ready(reconcile(pending).getResource().orElseThrow()).getMessage())
                .contains("Secret shop/db-client (database client certificate) has no key \"tls.key\"");
        client.secrets().inNamespace(TestCluster.NS).withName("db-client").delete();
        cluster.secret("db-client", "tls.crt", "tls.key");
        assertThat(ready(reconcile(pending).getResource().orElseThrow()).getMessage())
                .contains("Secret shop/corp-ca (S3 CA bundle) does not exist");
        assertThat(jobs()).isEmpty();

        cluster.secret("corp-ca", "bundle.pem");
        Backup started = reconcile(pending).getResource().orElseThrow();
        assertThat(started.getStatus().phase()).isEqualTo(BackupPhase.Running);
        assertThat(jobs()).singleElement().satisfies(job -> assertThat(job.getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv()).noneMatch(e -> e.getName().startsWith("AWS_")));
    }

    @Test
    void anInvalidSpecFailsAtOnceWithoutAJob() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, new Compression(CompressionAlgorithm.zstd, 99));

        Backup failed = reconcile(backup).getResource().orElseThrow();

        assertThat(failed.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(ready(failed).getReason()).isEqualTo("InvalidSpec");
        assertThat(ready(failed).getMessage()).isEqualTo("compression level 99 is out of range for zstd (1-22)");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void aJobDeletedBeforeItFinishedFailsTheBackup() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        BackupStatus running = reconcile(backup).getResource().orElseThrow().getStatus();
        client.batch().v1().jobs().inNamespace(TestCluster.NS).withName(running.jobName()).delete();

        Backup failed = reconcile(cluster.writeStatus(backupWith(backup, running))).getResource().orElseThrow();

        assertThat(failed.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(ready(failed).getReason()).isEqualTo("JobDeleted");
        assertThat(failed.getStatus().message()).contains(running.jobName()).contains("create a new Backup");
    }

    /** The Job's Pod on node-a, its agent container waiting for its image since {@code startedAt}. */
    private void pulling(String jobName, String image, String reason, Instant startedAt) {
        client.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(jobName + "-x")
                .withNamespace(TestCluster.NS).withLabels(java.util.Map.of("job-name", jobName))
                .withCreationTimestamp(startedAt.minusSeconds(1).toString()).endMetadata()
                .withNewSpec().withNodeName("node-a").endSpec().withNewStatus().withPhase("Pending")
                .withStartTime(startedAt.toString()).addNewContainerStatus().withName("agent")
                .withImage(image).withNewState().withNewWaiting()
                .withReason(reason).withMessage("Back-off pulling image").endWaiting().endState()
                .endContainerStatus().endStatus().build()).create();
    }

    @Test
    void aPodThatCannotPullTheAgentImageFailsTheBackupAfterAMinuteAndItsJobIsStopped() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        BackupStatus running = reconcile(backup).getResource().orElseThrow().getStatus();
        activePodNotReady(running.jobName());
        pulling(running.jobName(), "registry.example.com/backtrack-agent:nope", "ImagePullBackOff", NOW.minusSeconds(60));

        UpdateControl<Backup> control = reconcile(cluster.writeStatus(backupWith(backup, running)));
        Backup failed = control.getResource().orElseThrow();

        assertThat(failed.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(control.getScheduleDelay()).as("its own status write starts no reconcile: one is asked for")
                .contains(0L);
        assertThat(ready(failed).getReason()).isEqualTo("ImagePullFailed");
        assertThat(failed.getStatus().message()).contains("registry.example.com/backtrack-agent:nope", "ImagePullBackOff");
        assertThat(Conditions.find(failed.getStatus().conditions(), ConditionType.Completed).getReason()).isEqualTo("Failed");
        assertThat(cluster.events.withReason("ImagePullFailed")).hasSize(1);
        assertThat(jobs()).as("still there until the failed status is seen").hasSize(1);

        reconcile(cluster.writeStatus(failed));
        assertThat(jobs()).as("the failed Backup's Job is stopped").isEmpty();
    }

    @Test
    void aPodRetryingItsImagePullWithinTheGraceKeepsTheBackupRunningAndIsLookedAtAgainWhenTheGraceCanHaveRunOut() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        BackupStatus running = reconcile(backup).getResource().orElseThrow().getStatus();
        activePodNotReady(running.jobName());
        pulling(running.jobName(), "registry.example.com/backtrack-agent:slow", "ErrImagePull", Instant.now().minusSeconds(5));

        UpdateControl<Backup> control = reconcile(cluster.writeStatus(backupWith(backup, running)));

        assertThat(control.isNoUpdate()).isTrue();
        assertThat(control.getScheduleDelay()).as("the grace runs out with no change of the Pod to start a reconcile")
                .contains(java.time.Duration.ofSeconds(15).toMillis());
    }

    @Test
    void aPodNoNodeCanTakeKeepsTheBackupPendingWithTheSchedulersMessageUntilItRuns() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        BackupStatus running = reconcile(backup).getResource().orElseThrow().getStatus();
        activePodNotReady(running.jobName());
        var pod = client.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName(running.jobName() + "-x").withNamespace(TestCluster.NS)
                .withLabels(java.util.Map.of("job-name", running.jobName())).withCreationTimestamp(NOW.toString())
                .endMetadata().withNewSpec().endSpec().withNewStatus().withPhase("Pending").addNewCondition()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 Insufficient memory.").endCondition().endStatus().build()).create();

        UpdateControl<Backup> waiting = reconcile(cluster.writeStatus(backupWith(backup, running)));

        Backup pending = waiting.getResource().orElseThrow();
        assertThat(pending.getStatus().phase()).isEqualTo(BackupPhase.Pending);
        assertThat(pending.getStatus().jobName()).isEqualTo(running.jobName());
        assertThat(ready(pending).getReason()).isEqualTo("Unschedulable");
        assertThat(ready(pending).getMessage()).contains("0/1 nodes are available: 1 Insufficient memory.");
        assertThat(waiting.getScheduleDelay()).as("no polling: a change of the Pod reconciles the Backup (AgentPods)")
                .isEmpty();
        UpdateControl<Backup> again = reconcile(cluster.writeStatus(pending));
        assertThat(again.isNoUpdate()).isTrue();
        assertThat(cluster.events.withReason("Unschedulable")).hasSize(1);

        pod.getStatus().setPhase("Running");
        pod.getStatus().setConditions(List.of());
        client.resource(pod).updateStatus();
        Backup runs = reconcile(cluster.reread(pending)).getResource().orElseThrow();
        assertThat(runs.getStatus().phase()).isEqualTo(BackupPhase.Running);
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void theAgentsReasonAndMessageBecomeTheFailure() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        BackupStatus running = reconcile(backup).getResource().orElseThrow().getStatus();
        cluster.finish(jobs().get(0), false, 1, ResultLine.failure(Reason.DatabaseAuthFailed,
                "password authentication failed for user \"backup\"", null).toJson());

        Backup failed = reconcile(cluster.writeStatus(backupWith(backup, running))).getResource().orElseThrow();

        assertThat(failed.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(ready(failed).getReason()).isEqualTo("DatabaseAuthFailed");
        assertThat(ready(failed).getMessage()).isEqualTo("password authentication failed for user \"backup\"");
        assertThat(cluster.events.withReason("DatabaseAuthFailed")).hasSize(1);
    }

    @Test
    void theAgentsResultCompletesTheBackup() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        BackupStatus running = reconcile(backup).getResource().orElseThrow().getStatus();
        cluster.finish(jobs().get(0), true, 0, ResultLine.success(new BackupResult("prod/shop/orders",
                "prod/shop/orders/manifest.json", "prod/shop/orders/archive-20261122T020000Z-1a2b3c4d.pgdump.zst",
                "db-backups", "9f86d081884c7d659a2feaa0c55ad015", 48213L, "zstd", 1, "custom", "orders", "16.4",
                "pg_dump (PostgreSQL) 16.4", 42, 1234567L, null, null, 3, "2026-11-22T02:00:00Z",
                "2026-11-22T02:00:12.400Z", 12.4, null, null)).toJson());

        UpdateControl<Backup> completed = reconcile(cluster.writeStatus(backupWith(backup, running)));

        BackupStatus status = completed.getResource().orElseThrow().getStatus();
        assertThat(status.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(status.archive().archiveKey()).endsWith("1a2b3c4d.pgdump.zst");
        assertThat(status.database().tables()).isEqualTo(42);
        assertThat(status.expiresAt()).isEqualTo("2026-12-22T02:00:12.400Z");
        assertThat(completed.getScheduleDelay()).as("looks again when the ttl expires").isPresent();
    }

    @Test
    void aReconcileThatThrowsIsReconcilingWhileRetriedThenStalledWithAnEventAndTheNextGoodOneClearsIt() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        BackupStatus running = reconcile(backup).getResource().orElseThrow().getStatus();
        Backup current = cluster.writeStatus(backupWith(backup, running));
        var forbidden = new io.fabric8.kubernetes.client.KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(403).withMessage("pods is forbidden: User \"system:serviceaccount:backtrack-system:backtrack\" cannot list pods").build());

        var retrying = reconciler.updateErrorStatus(current, new TestContext<>(client, current).retry(1, false), forbidden);

        Backup shown = cluster.writeStatus(retrying.getResource().orElseThrow());
        assertThat(shown.getStatus().phase()).isEqualTo(BackupPhase.Running);
        assertThat(ready(shown).getReason()).isEqualTo("ReconcileError");
        assertThat(ready(shown).getMessage()).startsWith("the API server refused a request (HTTP 403): pods is forbidden")
                .endsWith("; retrying");
        assertThat(Conditions.find(shown.getStatus().conditions(), ConditionType.Reconciling).getStatus()).isEqualTo("True");
        assertThat(cluster.events.withReason("ReconcileError")).hasSize(1);

        var gaveUp = reconciler.updateErrorStatus(shown, new TestContext<>(client, shown).retry(5, true), forbidden);
        Backup stalled = cluster.writeStatus(gaveUp.getResource().orElseThrow());
        assertThat(Conditions.find(stalled.getStatus().conditions(), ConditionType.Stalled).getStatus()).isEqualTo("True");

        UpdateControl<Backup> recovered = reconcile(stalled);
        assertThat(recovered.isPatchStatus()).as("the Job runs again as seen: the error is cleared").isTrue();
        assertThat(ready(recovered.getResource().orElseThrow()).getReason()).isEqualTo("Running");
        assertThat(Conditions.find(recovered.getResource().orElseThrow().getStatus().conditions(), ConditionType.Stalled)
                .getStatus()).isEqualTo("False");
    }

    @Test
    void aFinishedBackupKeepsItsOutcomeWhenAReconcileThrows() {
        cluster.withSecrets();
        Backup backup = created("orders", DeletionPolicy.Retain, null);
        Backup failed = cluster.writeStatus(backupWith(backup, new BackupStatusDraft(backup)
                .failed("DumpFailed", "pg_dump failed", NOW).build()));

        var control = reconciler.updateErrorStatus(failed, new TestContext<>(client, failed), new IllegalStateException("boom"));

        assertThat(control.getResource()).isEmpty();
        assertThat(cluster.events.withReason("ReconcileError")).containsExactly("Warning ReconcileError: IllegalStateException: boom");
    }

    @Test
    void deletingARetainedBackupLeavesTheArchiveAndRemovesTheFinalizer() {
        Backup backup = cluster.writeStatus(completed(created("orders", DeletionPolicy.Retain, null)));

        DeleteControl deleted = reconciler.cleanup(backup, new TestContext<>(client, backup));

        assertThat(deleted.isRemoveFinalizer()).isTrue();
        assertThat(jobs()).isEmpty();
    }

    @Test
    void deletingABackupWithDeletionPolicyDeleteEmptiesItsFolderFirst() {
        cluster.withSecrets();
        Backup backup = cluster.writeStatus(completed(created("orders", DeletionPolicy.Delete, null)));

        DeleteControl deleting = reconciler.cleanup(backup, new TestContext<>(client, backup));

        assertThat(deleting.isRemoveFinalizer()).isFalse();
        assertThat(jobs()).singleElement().satisfies(j -> {
            assertThat(j.getMetadata().getName()).isEqualTo(BackupJobs.cleanupJobName(backup));
            assertThat(j.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).startsWith("delete");
        });
        cluster.finish(jobs().get(0), true, 0, "{\"ok\":true,\"key\":\"prod/shop/orders\",\"deletedObjects\":2}");

        DeleteControl deleted = reconciler.cleanup(backup, new TestContext<>(client, backup));

        assertThat(deleted.isRemoveFinalizer()).isTrue();
        assertThat(cluster.events.withReason("ArchiveDeleted")).singleElement().asString()
                .contains("s3://db-backups/prod/shop/orders");
    }

    @Test
    void aBackupARestoreReadsWaitsForItBeforeItIsDeleted() {
        Backup backup = completed(created("orders", DeletionPolicy.Delete, null));
        backup.getMetadata().setFinalizers(List.of(BacktrackApi.BACKUP_FINALIZER, BacktrackApi.RESTORE_PROTECTION_FINALIZER));

        DeleteControl waiting = reconciler.cleanup(backup, new TestContext<>(client, backup));

        assertThat(waiting.isRemoveFinalizer()).isFalse();
        assertThat(waiting.getScheduleDelay()).isPresent();
        assertThat(jobs()).isEmpty();
    }

    private Backup byStorageRef(String name, DeletionPolicy policy) {
        var spec = TestBackups.spec(null, null, null);
        return cluster.create(TestBackups.backup(name, new io.backtrack.api.backup.BackupSpec(spec.description(),
                spec.database(), null, new StorageRef("team-backups"), null, null, policy, null, null, null)));
    }

    @Test
    void aBackupNamingAMissingBackupStorageWaitsForItThenWritesWhereItSays() {
        cluster.withSecrets();
        Backup backup = byStorageRef("orders", DeletionPolicy.Retain);

        UpdateControl<Backup> waiting = reconcile(backup);

        Backup pending = waiting.getResource().orElseThrow();
        assertThat(pending.getStatus().phase()).isEqualTo(BackupPhase.Pending);
        assertThat(ready(pending).getReason()).isEqualTo("StorageNotFound");
        assertThat(ready(pending).getMessage()).isEqualTo("BackupStorage shop/team-backups (storageRef) does not exist;"
                + " the backup starts once it exists");
        assertThat(cluster.events.withReason("StorageNotFound")).hasSize(1);
        assertThat(waiting.getScheduleDelay()).isPresent();
        assertThat(jobs()).isEmpty();

        cluster.create(TestStorages.storage("team-backups", "team-bucket", "team", null));
        reconcile(cluster.writeStatus(pending));

        assertThat(jobs()).singleElement().satisfies(j -> assertThat(j.getSpec().getTemplate().getSpec().getContainers()
                .get(0).getArgs()).containsSubsequence("--endpoint", "https://s3.eu-central-1.example", "--bucket",
                "team-bucket", "--region", "eu-central-1", "--key", "team/shop/orders"));
    }

    @Test
    void anArchiveLeftInABucketItsBackupStorageNoLongerNamesIsNotDeletedFromTheNewOne() {
        cluster.withSecrets();
        cluster.create(TestStorages.storage("team-backups", "new-bucket", "team", null));
        Backup backup = byStorageRef("orders", DeletionPolicy.Delete);
        Backup done = completed(backup);
        BackupStatus s = done.getStatus();
        done.setStatus(new BackupStatus(s.phase(), s.message(), s.startedAt(), s.completedAt(), s.durationSeconds(),
                s.jobName(), new ArchiveStatus("old-bucket", "team/shop/orders", "team/shop/orders/archive.pgdump.zst",
                "team/shop/orders/manifest.json", 10L, "10 B", "9f86", "9f86", "zstd", "custom"), null, null, null, 1L, null));
        done = cluster.writeStatus(done);

        DeleteControl deleted = reconciler.cleanup(done, new TestContext<>(client, done));

        assertThat(deleted.isRemoveFinalizer()).isTrue();
        assertThat(jobs()).as("no cleanup Job in new-bucket").isEmpty();
        assertThat(cluster.events.withReason("ArchiveNotDeleted")).singleElement().asString()
                .contains("the archive is in bucket old-bucket but BackupStorage shop/team-backups now names bucket new-bucket")
                .contains("s3://old-bucket/team/shop/orders was left in place");
    }

    @Test
    void aBackupWhoseBackupStorageWasDeletedKeepsItsArchiveAndSaysSo() {
        cluster.withSecrets();
        Backup done = cluster.writeStatus(completed(byStorageRef("orders", DeletionPolicy.Delete)));

        DeleteControl deleted = reconciler.cleanup(done, new TestContext<>(client, done));

        assertThat(deleted.isRemoveFinalizer()).isTrue();
        assertThat(jobs()).isEmpty();
        assertThat(cluster.events.withReason("ArchiveNotDeleted")).singleElement().asString()
                .contains("BackupStorage shop/team-backups (storageRef) does not exist");
    }

    /** As the Job controller says once it has created the Pod, before the Pod is ready. */
    private void activePodNotReady(String jobName) {
        Job job = client.batch().v1().jobs().inNamespace(TestCluster.NS).withName(jobName).get();
        job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withActive(1).withReady(0).build());
        client.resource(job).updateStatus();
    }

    private static Backup backupWith(Backup backup, BackupStatus status) {
        Backup copy = TestBackups.backup(backup.getMetadata().getName(), backup.getSpec());
        copy.setStatus(status);
        return copy;
    }

    /** As the operator left it once its backup Job completed. */
    private Backup completed(Backup backup) {
        Backup copy = TestBackups.backup(backup.getMetadata().getName(), backup.getSpec());
        copy.setStatus(new BackupStatus(BackupPhase.Completed, "done", NOW.toString(), NOW.toString(), 1.0,
                BackupJobs.backupJobName(backup), null, null, null, null, 1L, null));
        return copy;
    }
}
