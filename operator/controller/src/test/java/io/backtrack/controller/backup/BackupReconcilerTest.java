package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.CompressionAlgorithm;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.ResultLine;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
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
                cluster.metrics, cluster.gate);
    }

    private UpdateControl<Backup> reconcile(Backup backup) {
        return reconciler.reconcile(backup, new TestContext<>(client, backup).source(BackupReconciler.RESTORES,
                cluster.restores));
    }

    private Backup created(String name, DeletionPolicy policy, Compression compression) {
        var spec = TestBackups.spec(compression, null, "720h");
        return cluster.create(TestBackups.backup(name, new io.backtrack.api.backup.BackupSpec(spec.description(),
                spec.database(), spec.storage(), spec.compression(), spec.scope(), policy, spec.ttl(), spec.job(), null)));
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
        assertThat(cluster.events.withReason("Started")).hasSize(1);

        Backup running = cluster.writeStatus(backupWith(backup, status));
        assertThat(reconcile(running).isNoUpdate()).as("the Job runs: nothing to write").isTrue();
        assertThat(jobs()).hasSize(1);
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
                "2026-11-22T02:00:12.400Z", 12.4)).toJson());

        UpdateControl<Backup> completed = reconcile(cluster.writeStatus(backupWith(backup, running)));

        BackupStatus status = completed.getResource().orElseThrow().getStatus();
        assertThat(status.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(status.archive().archiveKey()).endsWith("1a2b3c4d.pgdump.zst");
        assertThat(status.database().tables()).isEqualTo(42);
        assertThat(status.expiresAt()).isEqualTo("2026-12-22T02:00:12.400Z");
        assertThat(completed.getScheduleDelay()).as("looks again when the ttl expires").isPresent();
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

    private static Backup backupWith(Backup backup, BackupStatus status) {
        Backup copy = TestBackups.backup(backup.getMetadata().getName(), backup.getSpec());
        copy.setStatus(status);
        return copy;
    }

    /** As the operator left it once its backup Job completed. */
    private Backup completed(Backup backup) {
        Backup copy = TestBackups.backup(backup.getMetadata().getName(), backup.getSpec());
        copy.setStatus(new BackupStatus(BackupPhase.Completed, "done", NOW.toString(), NOW.toString(), 1.0,
                BackupJobs.backupJobName(backup), null, null, null, null, 1L));
        return copy;
    }
}
