package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.contract.durations.Durations;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.job.JobSettings;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.contract.wire.ArchiveCompression;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** One archive of one database. Immutable once created: to back up again, create another Backup. */
@ValidationRule(value = "has(self.storage) != has(self.storageRef)", message = BackupSpec.ONE_STORAGE)
@ValidationRule(value = "has(self.database) != has(self.origin)", message = BackupSpec.DATABASE_UNLESS_DISCOVERED)
@ValidationRule(value = "!has(self.origin) || has(self.storageRef)",
        message = "a Backup with origin Discovered names the BackupStorage it was found in (storageRef)")
@ValidationRule(value = "!has(self.origin) || !has(self.deletionPolicy) || self.deletionPolicy == 'Retain'",
        message = "a Backup with origin Discovered keeps its archive when deleted: deletionPolicy Retain")
public record BackupSpec(
        @JsonPropertyDescription("Free text kept in the manifest, e.g. \"Before the v42 schema migration\".")
        String description,
        @JsonPropertyDescription("The database to back up. Required, except on a Backup with origin Discovered, "
                + "which backs up nothing.")
        DatabaseSpec database,
        @JsonPropertyDescription("Where the archive is written. Or: storageRef.")
        StorageSpec storage,
        @JsonPropertyDescription("Or: a BackupStorage in this namespace that says where the archive is written.")
        StorageRef storageRef,
        @JsonPropertyDescription("Compression of the archive. Default: " + ArchiveCompression.DEFAULT_VALUE + " level "
                + ArchiveCompression.ZSTD_DEFAULT_LEVEL + ".")
        Compression compression,
        @JsonPropertyDescription("Back up only part of the database.")
        BackupScope scope,
        @JsonPropertyDescription("Retain (default) keeps the archive when this resource is deleted; Delete removes it.")
        DeletionPolicy deletionPolicy,
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("Keep the backup this long after it completes (e.g. 720h), then delete it.")
        String ttl,
        @JsonPropertyDescription("Settings of the backup Job.")
        JobSettings job,
        @JsonPropertyDescription("What the roles script beside the archive records (it always lists the roles the "
                + "database's objects are owned by or granted to, without passwords).")
        BackupRoles roles,
        @JsonPropertyDescription("Encrypt the archive client-side (age). Default: the encryption of the BackupStorage "
                + "named by storageRef, if it has one; set here, it wins over the BackupStorage's.")
        EncryptionSpec encryption,
        @JsonPropertyDescription("Set by the operator only: Discovered on a Backup a BackupStorage's sync created for "
                + "a completed backup it found in the bucket (no Job runs for it; its status comes from the backup's "
                + "manifest; deleting it keeps the archive). Absent on every other Backup.")
        BackupOrigin origin) {

    /** A Backup to be made (no origin) without an encryption of its own. */
    public BackupSpec(String description, DatabaseSpec database, StorageSpec storage, StorageRef storageRef,
                      Compression compression, BackupScope scope, DeletionPolicy deletionPolicy, String ttl,
                      JobSettings job, BackupRoles roles) {
        this(description, database, storage, storageRef, compression, scope, deletionPolicy, ttl, job, roles, null,
                null);
    }

    /** A Backup to be made (no origin). */
    public BackupSpec(String description, DatabaseSpec database, StorageSpec storage, StorageRef storageRef,
                      Compression compression, BackupScope scope, DeletionPolicy deletionPolicy, String ttl,
                      JobSettings job, BackupRoles roles, EncryptionSpec encryption) {
        this(description, database, storage, storageRef, compression, scope, deletionPolicy, ttl, job, roles,
                encryption, null);
    }

    public static final String ONE_STORAGE =
            "set exactly one of storage (a bucket, inline) and storageRef (a BackupStorage in this namespace)";
    public static final String DATABASE_UNLESS_DISCOVERED = "database is required (only a Backup with origin "
            + "Discovered, found in a bucket by a BackupStorage's sync, has none)";

    /** Whether a BackupStorage's sync created it: nothing is backed up for it. */
    public boolean discovered() {
        return origin == BackupOrigin.Discovered;
    }

    public Compression compressionOrDefault() {
        if (compression == null) {
            return Compression.DEFAULT;
        }
        return compression;
    }

    public BackupScope scopeOrEmpty() {
        return scope == null ? new BackupScope(null, null, null, null) : scope;
    }

    public BackupRoles rolesOrDefault() {
        return roles == null ? new BackupRoles(null) : roles;
    }

    public DeletionPolicy deletionPolicyOrDefault() {
        return deletionPolicy == null ? DeletionPolicy.Retain : deletionPolicy;
    }
}
