package io.backtrack.controller.backup;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DatabaseStatus;
import io.backtrack.api.backup.LastVerified;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.controller.status.ByteSize;
import io.backtrack.controller.status.StatusDraft;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A Backup's status in one reconcile (see {@link StatusDraft}): Pending (why it waits), Running (its Job), then
 * Completed (the agent's result: the archive, the database, the expiry) or Failed (the reason). Ready is True only
 * once Completed; Reconciling while it waits or runs; Stalled once Failed; Completed (the condition) once either.
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
    private LastVerified lastVerified;

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
            lastVerified = s.lastVerified();
        }
    }

    /** Waiting, for the reason given (SecretNotFound, Queued, RestoreInProgress, ...). */
    public BackupStatusDraft pending(ConditionReason reason, String text, Instant now) {
        return notFinished(BackupPhase.Pending, reason.name(), text, now);
    }

    /** Its Job exists but no node can take the Pod: Pending, reason Unschedulable, with the scheduler's message. */
    public BackupStatusDraft unschedulable(String job, String text, Instant now) {
        jobName = job;
        startedAt = startedAt != null ? startedAt : now.toString();
        return notFinished(BackupPhase.Pending, ConditionReason.Unschedulable.name(), text, now);
    }

    public BackupStatusDraft running(String job, Instant now) {
        jobName = job;
        startedAt = startedAt != null ? startedAt : now.toString();
        return notFinished(BackupPhase.Running, ConditionReason.Running.name(), "backup Job " + job + " is running",
                now);
    }

    /** @param reason the operator's ({@link ConditionReason}) or the agent's, as it reported it */
    public BackupStatusDraft failed(String reason, String text, Instant now) {
        phase = BackupPhase.Failed;
        message = text;
        completedAt = now.toString();
        durationSeconds = seconds(startedAt, now);
        clearResult();
        stalled(reason, text, now);
        finished(false, text, now);
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
        // The bucket the agent wrote to (a BackupStorage may name another one later); an agent's result always has it.
        String bucket = result.bucket() != null ? result.bucket()
                : backup.getSpec().storage() == null ? null : backup.getSpec().storage().s3().bucket();
        archive = new ArchiveStatus(bucket, result.key(), result.archiveKey(),
                result.manifestKey(), size, ByteSize.human(size), sha,
                sha == null ? null : sha.substring(0, Math.min(12, sha.length())), result.compression(),
                result.format(), result.encryption(), result.recipients());
        database = new DatabaseStatus(result.database(), result.serverVersion(), result.tables(), result.rows(),
                result.largeObjects(), result.unverified(), result.roles());
        String completed = completedAt;
        expiresAt = Durations.parseOptional(backup.getSpec().ttl(), "ttl")
                .map(ttl -> Instant.parse(completed).plus(ttl).toString())
                .orElse(null);
        // The agent measured its own run; the operator's clock and the agent's need not agree.
        durationSeconds = result.durationSeconds() != null ? result.durationSeconds()
                : seconds(startedAt, Instant.parse(completedAt));
        phase = BackupPhase.Completed;
        message = (result.encryption() != null ? "encrypted " : "") + "archive of " + ByteSize.human(size)
                + " written to s3://" + archive.bucket() + "/" + archive.archiveKey();
        ready(ConditionReason.Completed.name(), message, now);
        finished(true, message, now);
        return this;
    }

    /** A finished Backup whose status an older operator wrote: see {@link #settle}. Empty when there is nothing to add. */
    public Optional<BackupStatus> settled(Instant now) {
        return phase != null && phase.isTerminal() && settle(phase == BackupPhase.Completed, now)
                ? Optional.of(build()) : Optional.empty();
    }

    /** What the status says for people. */
    public String message() {
        return message;
    }

    @Override
    public BackupStatus build() {
        return new BackupStatus(phase, message, startedAt, completedAt, durationSeconds, jobName, archive, database,
                expiresAt, conditions(), generation(), lastVerified);
    }

    private BackupStatusDraft notFinished(BackupPhase next, String reason, String text, Instant now) {
        phase = next;
        message = text;
        completedAt = null;
        durationSeconds = null;
        clearResult();
        inProgress(reason, text, now);
        unfinished(reason, text, now);
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
