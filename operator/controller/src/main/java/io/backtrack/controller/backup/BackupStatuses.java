package io.backtrack.controller.backup;

import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DatabaseStatus;
import io.backtrack.contract.durations.Durations;
import io.backtrack.controller.job.AgentResult;
import io.backtrack.controller.status.ByteSize;
import io.backtrack.controller.status.Conditions;

import java.time.Duration;
import java.time.Instant;

/** The status transitions of a Backup, as pure functions of the resource, what was observed and the time. */
public final class BackupStatuses {
    public static final String REASON_COMPLETED = "Completed";
    public static final String REASON_RUNNING = "Running";

    private BackupStatuses() {
    }

    public static BackupStatus pending(Backup backup, String reason, String message, Instant now) {
        BackupStatus s = current(backup);
        return new BackupStatus(BackupPhase.Pending, message, s.startedAt(), null, null, s.jobName(), null, null, null,
                Conditions.set(s.conditions(), Conditions.READY, false, reason, message, generation(backup), now),
                generation(backup));
    }

    public static BackupStatus running(Backup backup, String jobName, Instant now) {
        BackupStatus s = current(backup);
        String startedAt = s.startedAt() != null ? s.startedAt() : now.toString();
        String message = "backup Job " + jobName + " is running";
        return new BackupStatus(BackupPhase.Running, message, startedAt, null, null, jobName, null, null, null,
                Conditions.set(s.conditions(), Conditions.READY, false, REASON_RUNNING, message, generation(backup), now),
                generation(backup));
    }

    public static BackupStatus failed(Backup backup, String reason, String message, Instant now) {
        BackupStatus s = current(backup);
        return new BackupStatus(BackupPhase.Failed, message, s.startedAt(), now.toString(), duration(s.startedAt(), now),
                s.jobName(), null, null, null,
                Conditions.set(s.conditions(), Conditions.READY, false, reason, message, generation(backup), now),
                generation(backup));
    }

    public static BackupStatus completed(Backup backup, AgentResult result, Instant now) {
        BackupStatus s = current(backup);
        String completedAt = result.text("completedAt") != null ? result.text("completedAt") : now.toString();
        long size = result.longValue("sizeBytes") == null ? 0 : result.longValue("sizeBytes");
        String sha = result.text("sha256");
        ArchiveStatus archive = new ArchiveStatus(
                backup.getSpec().storage().s3().bucket(),
                result.text("key"),
                result.text("archiveKey"),
                result.text("manifestKey"),
                size,
                ByteSize.human(size),
                sha,
                sha == null ? null : sha.substring(0, Math.min(12, sha.length())),
                result.text("compression"),
                result.text("format"));
        Long tables = result.longValue("tables");
        DatabaseStatus database = new DatabaseStatus(result.text("serverVersion"),
                tables == null ? null : tables.intValue(), result.longValue("rows"));
        String expiresAt = Durations.parseOptional(backup.getSpec().ttl(), "ttl")
                .map(ttl -> Instant.parse(completedAt).plus(ttl).toString())
                .orElse(null);
        String message = "archive of " + ByteSize.human(size) + " written to s3://" + archive.bucket() + "/" + archive.archiveKey();
        // The agent measured its own run; the operator's clock and the agent's need not agree.
        Double duration = result.doubleValue("durationSeconds") != null ? result.doubleValue("durationSeconds")
                : duration(s.startedAt(), Instant.parse(completedAt));
        return new BackupStatus(BackupPhase.Completed, message, s.startedAt(), completedAt,
                duration, s.jobName(), archive, database, expiresAt,
                Conditions.set(s.conditions(), Conditions.READY, true, REASON_COMPLETED, message, generation(backup), now),
                generation(backup));
    }

    private static BackupStatus current(Backup backup) {
        BackupStatus s = backup.getStatus();
        return s != null ? s : new BackupStatus(null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Long generation(Backup backup) {
        return backup.getMetadata().getGeneration();
    }

    private static Double duration(String startedAt, Instant end) {
        if (startedAt == null) {
            return null;
        }
        long millis = Duration.between(Instant.parse(startedAt), end).toMillis();
        return Math.max(0, millis) / 1000.0;
    }
}
