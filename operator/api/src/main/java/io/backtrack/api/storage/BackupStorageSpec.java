package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.contract.durations.Durations;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A storage location. {@code s3} is the very type an inline {@code storage.s3} has, so every setting of one is a
 * setting of the other.
 */
public record BackupStorageSpec(
        @Required @JsonPropertyDescription("An S3-compatible bucket, and the prefix the backups are written under.")
        S3Storage s3,
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("How often a probe Job checks that the location works (list, write, read back and "
                + "delete a probe object) and counts the backups under the prefix, e.g. 30m. Default: "
                + BackupStorageSpec.DEFAULT_PROBE_INTERVAL + ". A change of the spec is probed at once.")
        String probeInterval,
        @JsonPropertyDescription("Encrypt every archive written here client-side (age), unless a Backup sets its own "
                + "encryption. Changing it affects new backups only; existing archives keep the recipients they were "
                + "encrypted to.")
        EncryptionSpec encryption,
        @JsonPropertyDescription("Import the backups found in the bucket: each completed backup under the prefix that "
                + "no Backup in the cluster points at becomes a Backup in this namespace with origin Discovered, "
                + "deletionPolicy Retain and the status its manifest describes, ready to restore. Default: off.")
        StorageSync sync) {

    public static final String DEFAULT_PROBE_INTERVAL = "1h";

    /** A location without sync. */
    public BackupStorageSpec(S3Storage s3, String probeInterval, EncryptionSpec encryption) {
        this(s3, probeInterval, encryption, null);
    }

    /** A location without client-side encryption or sync. */
    public BackupStorageSpec(S3Storage s3, String probeInterval) {
        this(s3, probeInterval, null);
    }
}
