package io.backtrack.controller.concurrency;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.controller.TestAgentConfig;
import io.backtrack.controller.backup.BackupJobs;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyGateTest {

    @Test
    void aBackupsJobStandsForTheSameWorkAsTheBackupEvenWithALongName() {
        Backup backup = backup("orders-" + "x".repeat(200));
        Job job = new BackupJobs(TestAgentConfig.INSTANCE).backup(backup, backup.getSpec().storage().s3(), null);
        job.getMetadata().setCreationTimestamp("2026-11-22T02:00:01Z");
        Work fromJob = ConcurrencyGate.jobWork(job).orElseThrow();
        Work fromBackup = ConcurrencyGate.backupWork(backup);
        assertThat(fromJob.id()).isEqualTo(fromBackup.id());
        assertThat(fromJob.database()).isEqualTo(fromBackup.database()).isNotNull();
        assertThat(job.getMetadata().getLabels().get(BacktrackApi.DATABASE_LABEL)).isEqualTo(fromBackup.database());
    }

    @Test
    void aSafetyBackupsJobNamesItsRestoreAndACleanupHoldsNoDatabase() {
        Backup safety = backup("rollback-pre-restore-1a2b3");
        safety.getMetadata().setLabels(Map.of(BacktrackApi.RESTORE_LABEL, "rollback", BacktrackApi.ROLE_LABEL, "safety-backup"));
        Job job = new BackupJobs(TestAgentConfig.INSTANCE).backup(safety, safety.getSpec().storage().s3(), null);
        assertThat(job.getMetadata().getLabels()).containsEntry(BacktrackApi.RESTORE_LABEL, "rollback");

        Backup old = backup("old");
        Job cleanup = new BackupJobs(TestAgentConfig.INSTANCE).cleanup(old, old.getSpec().storage().s3());
        cleanup.getMetadata().setCreationTimestamp("2026-11-22T02:00:01Z");
        Work work = ConcurrencyGate.jobWork(cleanup).orElseThrow();
        assertThat(work.id()).isEqualTo("Cleanup/shop/old");
        assertThat(work.database()).isNull();
    }

    @Test
    void onlyNewOrQueuedWorkWaitsForASlot() {
        assertThat(ConcurrencyGate.waitingForASlot(null, null)).isTrue();
        Instant now = Instant.parse("2026-11-22T02:00:00Z");
        assertThat(ConcurrencyGate.waitingForASlot(BackupPhase.Pending,
                Conditions.set(null, ConditionType.Ready, false, "Queued", "waiting", 1L, now))).isTrue();
        assertThat(ConcurrencyGate.waitingForASlot(BackupPhase.Pending,
                Conditions.set(null, ConditionType.Ready, false, "SecretNotFound", "no secret", 1L, now))).isFalse();
        assertThat(ConcurrencyGate.waitingForASlot(BackupPhase.Running, null)).isFalse();
        assertThat(ConcurrencyGate.waitingForASlot(RestorePhase.Pending,
                Conditions.set(null, ConditionType.Ready, false, "RestoreInProgress", "busy", 1L, now))).isFalse();
        assertThat(ConcurrencyGate.waitingForASlot(RestorePhase.Quiescing, null)).isFalse();
    }

    @Test
    void aRestoreIsAheadOfBackupsAndHoldsItsTarget() {
        Restore r = new Restore();
        r.setMetadata(new ObjectMetaBuilder().withName("incident").withNamespace("shop")
                .withCreationTimestamp("2026-11-22T03:00:00Z").build());
        Work w = ConcurrencyGate.restoreWork(r, "orders-db:5432/orders");
        Backup b = backup("nightly");
        assertThat(w.restore()).isTrue();
        assertThat(w.database()).isEqualTo(ConcurrencyGate.backupWork(b).database());
        assertThat(Work.QUEUE_ORDER.compare(w, ConcurrencyGate.backupWork(b))).isNegative();
    }

    static Backup backup(String name) {
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withUid("u")
                .withCreationTimestamp("2026-11-22T02:00:00Z").build());
        b.setSpec(new BackupSpec(null, new DatabaseSpec(null, "orders-db", 5432, "orders",
                new DatabaseCredentials("db", null, null)),
                new StorageSpec(new S3Storage("http://minio:9000", "b", null, null, true, new S3Credentials("s3", null, null), null, null)), null,
                null, null, null, null, null, null));
        return b;
    }
}
