package io.backtrack.api.restore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.drill.RestoreDrill;
import io.backtrack.api.encryption.DecryptionSpec;
import io.backtrack.api.job.JobSettings;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.durations.Durations;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Put a backup back: verified before it is applied, with the target saved first. Immutable once created. */
@ValidationRule(value = "self == oldSelf", message = "a Restore's spec is immutable: create a new Restore instead")
@ValidationRule(value = "has(self.backupName) != has(self.source)",
        message = "set exactly one of backupName (a Backup in this namespace) and source (a backup folder in storage)")
@ValidationRule(value = "!has(self.drill) || has(self.backupName)",
        message = "a drill restores a Backup of this namespace: set backupName")
@ValidationRule(value = "!has(self.drill) || (has(self.target) && has(self.target.host) && has(self.target.database)"
        + " && has(self.target.credentialsSecret))",
        message = "a drill needs target.host, target.credentialsSecret and target.database (the scratch database, "
                + "which must not exist)")
@ValidationRule(value = "!has(self.drill) || ((!has(self.strategy) || self.strategy == 'newDatabase') && !has(self.scope)"
        + " && !has(self.quiesce) && (!has(self.safetyBackup) || !self.safetyBackup)"
        + " && (!has(self.verify) || self.verify == 'rowCounts') && !has(self.parallelJobs))",
        message = "a drill restores the whole backup into a new scratch database and verifies it: leave strategy "
                + "(newDatabase), scope, quiesce, safetyBackup, verify and parallelJobs unset")
@ValidationRule(value = "!has(self.parallelJobs) || self.parallelJobs == 1 || !has(self.strategy)"
        + " || self.strategy != 'inPlace'",
        message = "strategy inPlace restores in one transaction, which parallel jobs cannot share: leave parallelJobs "
                + "unset (or 1), or use strategy swap or newDatabase")
public record RestoreSpec(
        @JsonPropertyDescription("A Completed Backup in this namespace.")
        String backupName,
        @JsonPropertyDescription("Or: a backup straight from storage, when its Backup resource does not exist.")
        RestoreSource source,
        @JsonPropertyDescription("Where to restore. Default: the backup's own database.")
        RestoreTarget target,
        @JsonPropertyDescription("swap (default), inPlace or newDatabase.")
        RestoreStrategy strategy,
        @JsonPropertyDescription("Restore only part of the backup.")
        RestoreScope scope,
        @JsonPropertyDescription("Back up the target before touching it. Default: true, except for newDatabase.")
        Boolean safetyBackup,
        @JsonPropertyDescription("rowCounts (default): compare every table's row count with the manifest; none.")
        VerifyMode verify,
        @JsonPropertyDescription("Workloads scaled to 0 during the restore and back afterwards.")
        Quiesce quiesce,
        @JsonPropertyDescription("Settings of the restore Jobs.")
        JobSettings job,
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("inPlace: how long any statement may wait for a lock held by someone else before the "
                + "restore fails and rolls back, unchanged (e.g. 30s, 2m; 0s waits forever). Default: 30s.")
        String lockTimeout,
        @JsonPropertyDescription("Roles the restored objects are owned by or granted to that the target server lacks: "
                + "skip (default) refuses the restore in its check step, naming them; createMissing creates them from "
                + "the backup's roles script first (existing roles are never altered).")
        RolesPolicy roles,
        @JsonPropertyDescription("Restore no object ownership: every restored object belongs to the restoring user "
                + "(target.credentialsSecret), and roles that only owned objects are not needed. Default: false.")
        Boolean noOwner,
        @JsonPropertyDescription("Make this Restore a drill: restore the Backup into target.database, a new scratch "
                + "database on target.host, verify it, run the checks read-only, drop it. Set by a BackupSchedule's "
                + "drill; never the backed-up database itself.")
        RestoreDrill drill,
        @JsonPropertyDescription("The identity to decrypt an encrypted archive (age) with; required to restore one, "
                + "and read from this Restore's namespace only, never from the BackupStorage the backup was written "
                + "with.")
        DecryptionSpec decryption,
        @Min(1)
        @Max(AgentFlags.MAX_JOBS)
        @JsonPropertyDescription("pg_restore's parallel jobs, each a connection to the server (swap and newDatabase). "
                + "2 or more: the archive is first downloaded, checked against its SHA-256 and written decompressed to "
                + "the restore Job's /tmp, then restored with that many jobs loading tables and building indexes side "
                + "by side: faster where the server has the cores, but /tmp needs room for the whole uncompressed dump, "
                + "and an encrypted backup is refused (its dump would be on disk decrypted). Default 1: the archive "
                + "streams into one pg_restore and nothing is written to disk.")
        Integer parallelJobs) {

    /** A Restore without parallel jobs (the archive streams). */
    public RestoreSpec(String backupName, RestoreSource source, RestoreTarget target, RestoreStrategy strategy,
                       RestoreScope scope, Boolean safetyBackup, VerifyMode verify, Quiesce quiesce, JobSettings job,
                       String lockTimeout, RolesPolicy roles, Boolean noOwner, RestoreDrill drill,
                       DecryptionSpec decryption) {
        this(backupName, source, target, strategy, scope, safetyBackup, verify, quiesce, job, lockTimeout, roles,
                noOwner, drill, decryption, null);
    }

    /** A Restore without a decryption identity. */
    public RestoreSpec(String backupName, RestoreSource source, RestoreTarget target, RestoreStrategy strategy,
                       RestoreScope scope, Boolean safetyBackup, VerifyMode verify, Quiesce quiesce, JobSettings job,
                       String lockTimeout, RolesPolicy roles, Boolean noOwner, RestoreDrill drill) {
        this(backupName, source, target, strategy, scope, safetyBackup, verify, quiesce, job, lockTimeout, roles,
                noOwner, drill, null, null);
    }

    /** What a Restore without lockTimeout gets (the agent's default too). */
    public static final String DEFAULT_LOCK_TIMEOUT = "30s";

    public String lockTimeoutOrDefault() {
        return lockTimeout == null || lockTimeout.isBlank() ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
    }

    public RolesPolicy rolesOrDefault() {
        return roles == null ? RolesPolicy.skip : roles;
    }

    public boolean noOwnerOrDefault() {
        return Boolean.TRUE.equals(noOwner);
    }

    public RestoreStrategy strategyOrDefault() {
        return strategy == null ? RestoreStrategy.swap : strategy;
    }

    public boolean safetyBackupOrDefault() {
        return safetyBackup != null ? safetyBackup : strategyOrDefault() != RestoreStrategy.newDatabase;
    }

    public VerifyMode verifyOrDefault() {
        return verify == null ? VerifyMode.rowCounts : verify;
    }

    public int parallelJobsOrDefault() {
        return parallelJobs == null ? 1 : parallelJobs;
    }

    public RestoreScope scopeOrEmpty() {
        return scope == null ? new RestoreScope(null, null, null, null) : scope;
    }

    public Quiesce quiesceOrEmpty() {
        return quiesce == null ? new Quiesce(null, null) : quiesce;
    }
}
