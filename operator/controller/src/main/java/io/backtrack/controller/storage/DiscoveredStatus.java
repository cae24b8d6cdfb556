package io.backtrack.controller.storage;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DatabaseStatus;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.ProbeResult.FoundBackup;
import io.backtrack.controller.status.ByteSize;
import io.backtrack.controller.status.StatusDraft;

import java.time.Duration;
import java.time.Instant;

/**
 * The status of a Discovered Backup: Completed, as the backup's manifest describes it (checked by the probe against
 * the bucket: its archive is there with the manifest's size), with no Job and no expiry. Ready True, reason
 * Completed, as a Backup the operator ran itself; the message says where it was found.
 */
final class DiscoveredStatus extends StatusDraft<BackupStatus> {
    private final String message;
    private final FoundBackup found;
    private final String bucket;

    private DiscoveredStatus(Backup backup, FoundBackup found, String bucket, String message, Instant now) {
        super(backup, null);
        this.found = found;
        this.bucket = bucket;
        this.message = message;
        ready(ConditionReason.Completed.name(), message, now);
        finished(true, message, now);
    }

    /** @param storageName the BackupStorage whose sync found it */
    static BackupStatus of(Backup backup, FoundBackup found, String bucket, String storageName, Instant now) {
        String writer = found.namespace() != null && found.backup() != null
                ? "Backup " + found.namespace() + "/" + found.backup() : "backtrack-agent";
        String message = "found in s3://" + bucket + "/" + found.key() + " by BackupStorage " + storageName
                + ": written by " + writer + ", completed " + found.completedAt() + ", "
                + ByteSize.human(found.sizeBytes() == null ? 0 : found.sizeBytes());
        return new DiscoveredStatus(backup, found, bucket, message, now).build();
    }

    @Override
    public BackupStatus build() {
        long size = found.sizeBytes() == null ? 0 : found.sizeBytes();
        String sha = found.sha256();
        ArchiveStatus archive = new ArchiveStatus(bucket, found.key(), found.archiveKey(),
                new BackupFolder(found.key()).manifestKey(), size, ByteSize.human(size), sha,
                sha.substring(0, Math.min(12, sha.length())), found.compression(), found.format(), found.encryption(),
                found.recipients());
        DatabaseStatus database = new DatabaseStatus(found.database(), found.serverVersion(), found.tables(),
                found.rows(), found.largeObjects(), null, null);
        Double seconds = found.startedAt() == null ? null : Math.max(0, Duration.between(
                Instant.parse(found.startedAt()), Instant.parse(found.completedAt())).toMillis()) / 1000.0;
        return new BackupStatus(BackupPhase.Completed, message, found.startedAt(), found.completedAt(), seconds, null,
                archive, database, null, conditions(), generation(), null);
    }
}
