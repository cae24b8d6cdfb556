package io.backtrack.api;

/** Names shared by the CRDs, the controller, the agent and the tests. */
public final class BacktrackApi {
    public static final String GROUP = "backtrack.io";
    public static final String VERSION = "v1alpha1";
    public static final String CATEGORY = "backtrack";

    /** Label on everything the operator creates. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "backtrack";
    public static final String BACKUP_LABEL = GROUP + "/backup";
    public static final String RESTORE_LABEL = GROUP + "/restore";
    public static final String ROLE_LABEL = GROUP + "/role";
    /** On a BackupStorage's probe Jobs, and on the Backups its sync discovered: the BackupStorage's name. */
    public static final String STORAGE_LABEL = GROUP + "/storage";
    /**
     * On a discovered Backup (label shortened past 63 characters, annotation in full, as {@link #SCHEDULE_LABEL}): the
     * namespace and name of the Backup that wrote the backup, and the schedule that created that one, as its manifest
     * records them. Never {@link #SCHEDULE_LABEL} itself: a schedule of that name here must not count (nor prune)
     * history it did not make.
     */
    public static final String ORIGINAL_NAMESPACE_LABEL = GROUP + "/original-namespace";
    public static final String ORIGINAL_BACKUP_LABEL = GROUP + "/original-backup";
    public static final String ORIGINAL_SCHEDULE_LABEL = GROUP + "/original-schedule";
    /**
     * On a discovered Backup: the folder it was found in, {@code s3://<bucket>/<key>}, from its creation on (its status
     * may come a moment later): a sync knows by it which folder a Backup of that name stands for.
     */
    public static final String DISCOVERED_FROM_ANNOTATION = GROUP + "/discovered-from";
    /**
     * On Backups a BackupSchedule created: the schedule's name, the only link between them (no owner reference). The
     * label holds it shortened past 63 characters, an annotation of the same key in full (passed to the agent as
     * --schedule). The same pair of label and annotation carries a name under {@link #RESTORE_LABEL} and
     * {@link #IN_USE_BY_RESTORE_LABEL}.
     */
    public static final String SCHEDULE_LABEL = GROUP + "/schedule";
    /** On Backups a BackupSchedule created: the instant the run was due. */
    public static final String SCHEDULED_AT_ANNOTATION = GROUP + "/scheduled-at";
    /** Set by a running Restore on the Backup it reads; retention never prunes such a Backup. */
    public static final String IN_USE_BY_RESTORE_LABEL = GROUP + "/in-use-by-restore";
    /**
     * The Backup controller's finalizer (JOSDK's default name for the Backup type, made explicit): it empties the
     * Backup's folder when its deletionPolicy is Delete. Backups the operator creates carry it from the start.
     */
    public static final String BACKUP_FINALIZER = "backups." + GROUP + "/finalizer";
    /**
     * The BackupSchedule controller's finalizer: deleting a schedule drops its metrics and reports that its Backups
     * are kept (a schedule owns nothing: its Backups are linked to it by {@link #SCHEDULE_LABEL} only).
     */
    public static final String SCHEDULE_FINALIZER = "backupschedules." + GROUP + "/finalizer";
    /**
     * The Restore controller's finalizer: deleting a running Restore stops its Job, scales its workloads back and
     * releases its Backup before the Restore goes.
     */
    public static final String RESTORE_FINALIZER = "restores." + GROUP + "/finalizer";
    /** Held by a running Restore on the Backup it reads, so the Backup outlives the Restore's need of it. */
    public static final String RESTORE_PROTECTION_FINALIZER = GROUP + "/restore-protection";
    /**
     * On backup and restore Jobs: the database they read or write, host:port/database as a label value (shortened
     * with a hash: ':' and '/' are not allowed in one). The operator runs one agent Job per database at a time.
     */
    public static final String DATABASE_LABEL = GROUP + "/database";
    /**
     * On restore Jobs: the agent's step the Job runs, check, restore or compare (the wire values of
     * {@code io.backtrack.contract.wire.RestoreStep}), or {@link #DRILL} for a drill's one Job.
     */
    public static final String STEP_LABEL = GROUP + "/step";
    /**
     * A drill: the value of {@link #ROLE_LABEL} on a drill Restore (created by a BackupSchedule, which owns it and
     * labels it with {@link #SCHEDULE_LABEL}) and on its Job, and of {@link #STEP_LABEL} on that Job.
     */
    public static final String DRILL = "drill";
    /** On a workload a Restore scaled to 0: the Restore's name and the replica count to go back to. */
    public static final String QUIESCED_BY_ANNOTATION = GROUP + "/quiesced-by-restore";
    public static final String REPLICAS_BEFORE_ANNOTATION = GROUP + "/replicas-before-restore";

    private BacktrackApi() {
    }
}
