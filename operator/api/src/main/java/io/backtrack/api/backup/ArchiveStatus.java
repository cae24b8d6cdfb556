package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Where the archive is and how to check it: {@code sha256sum} of the stored object equals {@code sha256}. */
public record ArchiveStatus(
        @JsonPropertyDescription("Bucket holding the backup.")
        String bucket,
        @JsonPropertyDescription("The backup's folder in the bucket; restore from storage alone with this key.")
        String key,
        @JsonPropertyDescription("Key of the archive object.")
        String archiveKey,
        @JsonPropertyDescription("Key of manifest.json, written only after the archive is complete.")
        String manifestKey,
        @JsonPropertyDescription("Size of the stored (compressed) archive in bytes.")
        Long sizeBytes,
        @JsonPropertyDescription("Size of the stored archive, for people (e.g. 47.1 KiB).")
        String size,
        @JsonPropertyDescription("SHA-256 of the stored archive's bytes.")
        String sha256,
        @JsonPropertyDescription("First 12 characters of sha256, for display.")
        String sha256Short,
        @JsonPropertyDescription("Compression algorithm of the archive.")
        String compression,
        @JsonPropertyDescription("Archive format: custom (pg_dump -Fc).")
        String format,
        @JsonPropertyDescription("age when the archive is encrypted client-side; a Restore of it needs "
                + "spec.decryption. Unset: not encrypted.")
        String encryption,
        @JsonPropertyDescription("The age recipients (public keys) the archive is encrypted to: a Restore needs the "
                + "identity of one of them.")
        List<String> recipients) {

    /** An unencrypted archive. */
    public ArchiveStatus(String bucket, String key, String archiveKey, String manifestKey, Long sizeBytes, String size,
                         String sha256, String sha256Short, String compression, String format) {
        this(bucket, key, archiveKey, manifestKey, sizeBytes, size, sha256, sha256Short, compression, format, null,
                null);
    }

    public boolean encrypted() {
        return encryption != null;
    }
}
