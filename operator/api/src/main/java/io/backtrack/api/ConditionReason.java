package io.backtrack.api;

/**
 * Every reason the operator writes into a condition of its own accord ({@code status.conditions[].reason}), one
 * catalogue for the three resources. A Backup or Restore whose agent Job failed carries the agent's own reason
 * instead, as the agent reported it ({@code io.backtrack.contract.result.Reason}: InvalidArguments,
 * DatabaseUnreachable, ..., VerificationFailed).
 */
public enum ConditionReason {
    // ---- any resource
    /** The spec cannot work: the message names every problem. Nothing was created. */
    InvalidSpec,
    /** A referenced Secret or one of its keys is missing; the work starts once it exists. */
    SecretNotFound,

    // ---- Backup and Restore
    /** Waiting (phase Pending) for an agent Job slot or for its database, in creation order, Restores first. */
    Queued,
    /** Finished and what it should be (Ready True); a schedule's last run that completed (LastBackupSucceeded). */
    Completed,
    /** Its agent Job was deleted before it finished. */
    JobDeleted,
    /** Its agent Job failed without the agent's result (killed, out of memory, image missing). */
    JobFailed,
    /** Its agent Job ran longer than its activeDeadlineSeconds and was stopped. */
    DeadlineExceeded,
    /** Its agent Job succeeded but left no result to read. */
    AgentResultMissing,

    // ---- Backup
    /** The backup Job runs. */
    Running,
    /** A Restore is rewriting the database; the backup starts when it finishes. */
    RestoreInProgress,

    // ---- Restore: its phases in order, then what stops one
    /** The check step: manifest, archive and target, touching nothing. */
    Checking,
    /** Scaling the workloads in spec.quiesce to 0. */
    Quiescing,
    /** Backing up the target before touching it. */
    SafetyBackup,
    /** The restore step. */
    Restoring,
    /** The compare step: row counts against the manifest (and for swap, the rename). */
    Verifying,
    /** spec.backupName names no Backup. */
    BackupNotFound,
    /** The Backup has not completed (it failed, or the restore waits for it). */
    BackupNotCompleted,
    /** The safety backup failed or was deleted; the target was not touched. */
    SafetyBackupFailed,

    // ---- BackupSchedule
    /** Ready: the schedule runs. */
    Scheduled,
    /** Ready: spec.suspend stops new runs. */
    Suspended,
    /** The cron expression cannot be read. */
    InvalidSchedule,
    /** spec.timeZone is not an IANA time zone. */
    UnknownTimeZone,
    /** LastBackupSucceeded: the newest finished run failed, and its Backup named no reason. */
    Failed
}
