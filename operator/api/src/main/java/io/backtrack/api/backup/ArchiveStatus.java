package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

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
        String format) {
}
