package io.backtrack.api;

/**
 * Every reason the operator writes into a condition of its own accord ({@code status.conditions[].reason}), one
 * catalogue for the three resources. A Backup or Restore whose agent Job failed carries the agent's own reason
 * instead, as the agent reported it ({@code io.backtrack.contract.result.Reason}: InvalidArguments,
 * DatabaseUnreachable, DatabaseTlsFailed, StorageTlsFailed, ..., VerificationFailed).
 */
public enum ConditionReason {
    // ---- any resource
    /** The spec cannot work: the message names every problem. Nothing was created. */
    InvalidSpec,
    /** A referenced Secret or one of its keys is missing; the work starts once it exists. */
    SecretNotFound,
    /** storageRef (or source.storageRef) names no BackupStorage in the namespace; the work starts once it exists. */
    StorageNotFound,
    /**
     * A request to the API server failed, or what it answered could not be read; the message says which. Reconciling
     * while the operator retries, Stalled once it stopped retrying (the next change to the resource tries again).
     */
    ReconcileError,

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
    /** Completed: it finished and is what it should be. */
    Succeeded,
    /** Its agent's image cannot be pulled (ErrImagePull, ImagePullBackOff, InvalidImageName); its Job was stopped. */
    ImagePullFailed,
    /**
     * Waiting: no node can take its agent Pod now (the scheduler's message says why: resources, node selector,
     * taints, affinity); it runs once one can, or fails at the Job's deadline.
     */
    Unschedulable,
    /** Its agent was killed for using more memory than its limit (OOMKilled), and the Job retried no further. */
    OutOfMemory,
    /** Its agent Job succeeded but left no result to read. */
    AgentResultMissing,

    // ---- Backup
    /** The backup Job runs. */
    Running,
    /** A Restore is rewriting the database; the backup starts when it finishes. */
    RestoreInProgress,
    /**
     * The backup Job was given age recipients but its agent reported an unencrypted archive (an agent image from
     * before encryption): the Backup failed rather than count plaintext as an encrypted backup.
     */
    EncryptionNotApplied,

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
    /** A drill's one Job runs: restore into the scratch database, verify, checks, drop. */
    Drilling,
    /**
     * A drill's target resolves to the server of the backed-up database: refused, nothing is created (a drill never
     * restores next to, let alone into, the live database).
     */
    LiveDatabaseTarget,
    /** A drill's Restore was deleted before it finished. */
    Aborted,
    /**
     * The Backup to restore is encrypted (age) and the Restore names no spec.decryption: refused before any Job, the
     * message naming the recipients the archive is encrypted to. (The agent reports the same reason for an identity
     * that is none of them.)
     */
    DecryptionFailed,

    // ---- BackupSchedule
    /** Ready: the schedule runs. */
    Scheduled,
    /** Ready: spec.suspend stops new runs. */
    Suspended,
    /** The cron expression cannot be read. */
    InvalidSchedule,
    /** spec.timeZone is not an IANA time zone. */
    UnknownTimeZone,
    /**
     * Completed: it finished and failed (Ready and Stalled name the reason); LastBackupSucceeded: the newest finished
     * run failed, and its Backup named no reason.
     */
    Failed,

    // ---- BackupStorage (Available and Ready; a failed probe carries the agent's reason: BucketNotFound, ...)
    /** The first probe of this generation of the spec runs. */
    Probing,
    /** The last probe listed, wrote, read back and deleted under the prefix. */
    ProbeSucceeded
}
