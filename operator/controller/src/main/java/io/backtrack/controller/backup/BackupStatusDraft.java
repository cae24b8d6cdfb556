package io.backtrack.controller.backup;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DatabaseStatus;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.controller.status.ByteSize;
import io.backtrack.controller.status.StatusDraft;

import java.time.Duration;
import java.time.Instant;

/**
 * A Backup's status in one reconcile (see {@link StatusDraft}): Pending (why it waits), Running (its Job), then
 * Completed (the agent's result: the archive, the database, the expiry) or Failed (the reason). Ready is True only
 * once Completed.
 */
public final class BackupStatusDraft extends StatusDraft<BackupStatus> {
    private final Backup backup;
    private BackupPhase phase;
    private String message;
    private String startedAt;
    private String completedAt;
    private Double durationSeconds;
    private String jobName;
    private ArchiveStatus archive;
    private DatabaseStatus database;
    private String expiresAt;

    public BackupStatusDraft(Backup backup) {
        super(backup, backup.getStatus() == null ? null : backup.getStatus().conditions());
        this.backup = backup;
        BackupStatus s = backup.getStatus();
        if (s != null) {
            phase = s.phase();
            message = s.message();
            startedAt = s.startedAt();
            completedAt = s.completedAt();
            durationSeconds = s.durationSeconds();
            jobName = s.jobName();
            archive = s.archive();
            database = s.database();
            expiresAt = s.expiresAt();
        }
    }

    /** Waiting, for the reason given (SecretNotFound, Queued, RestoreInProgress, ...). */
    public BackupStatusDraft pending(ConditionReason reason, String text, Instant now) {
        return unfinished(BackupPhase.Pending, reason.name(), text, now);
    }

    public BackupStatusDraft running(String job, Instant now) {
        jobName = job;
        startedAt = startedAt != null ? startedAt : now.toString();
        return unfinished(BackupPhase.Running, ConditionReason.Running.name(), "backup Job " + job + " is running",
                now);
    }

    /** @param reason the operator's ({@link ConditionReason}) or the agent's, as it reported it */
    public BackupStatusDraft failed(String reason, String text, Instant now) {
        phase = BackupPhase.Failed;
        message = text;
        completedAt = now.toString();
        durationSeconds = seconds(startedAt, now);
        clearResult();
        condition(ConditionType.Ready, false, reason, text, now);
        return this;
    }

    public BackupStatusDraft failed(ConditionReason reason, String text, Instant now) {
        return failed(reason.name(), text, now);
    }

    /** The agent's result: where the archive is, what it holds, when it expires. */
    public BackupStatusDraft completed(BackupResult result, Instant now) {
        completedAt = result.completedAt() != null ? result.completedAt() : now.toString();
        long size = result.sizeBytes() == null ? 0 : result.sizeBytes();
        String sha = result.sha256();
        archive = new ArchiveStatus(backup.getSpec().storage().s3().bucket(), result.key(), result.archiveKey(),
                result.manifestKey(), size, ByteSize.human(size), sha,
                sha == null ? null : sha.substring(0, Math.min(12, sha.length())), result.compression(),
                result.format());
        database = new DatabaseStatus(result.serverVersion(), result.tables(), result.rows(), result.largeObjects(),
                result.unverified(), result.roles());
        String completed = completedAt;
        expiresAt = Durations.parseOptional(backup.getSpec().ttl(), "ttl")
                .map(ttl -> Instant.parse(completed).plus(ttl).toString())
                .orElse(null);
        // The agent measured its own run; the operator's clock and the agent's need not agree.
        durationSeconds = result.durationSeconds() != null ? result.durationSeconds()
                : seconds(startedAt, Instant.parse(completedAt));
        phase = BackupPhase.Completed;
        message = "archive of " + ByteSize.human(size) + " written to s3://" + archive.bucket() + "/"
                + archive.archiveKey();
        condition(ConditionType.Ready, true, ConditionReason.Completed.name(), message, now);
        return this;
    }

    /** What the status says for people. */
    public String message() {
        return message;
    }

    @Override
    public BackupStatus build() {
        return new BackupStatus(phase, message, startedAt, completedAt, durationSeconds, jobName, archive, database,
                expiresAt, conditions(), generation());
    }

    private BackupStatusDraft unfinished(BackupPhase next, String reason, String text, Instant now) {
        phase = next;
        message = text;
        completedAt = null;
        durationSeconds = null;
        clearResult();
        condition(ConditionType.Ready, false, reason, text, now);
        return this;
    }

    private void clearResult() {
        archive = null;
        database = null;
        expiresAt = null;
    }

    private static Double seconds(String startedAt, Instant end) {
        if (startedAt == null) {
            return null;
        }
        long millis = Duration.between(Instant.parse(startedAt), end).toMillis();
        return Math.max(0, millis) / 1000.0;
    }
}
