package io.backtrack.contract.result;

/**
 * {@code backtrack-agent verify}: the stored archive matched its manifest (SHA-256 and size) and decompressed into a
 * pg_dump archive; no database was touched.
 *
 * @param completedAt when the backup completed, from its manifest
 */
public record VerifyResult(String key, String archiveKey, String bucket, String sha256, Long sizeBytes,
                           Long uncompressedBytes, Boolean archiveVerified, String database, String completedAt,
                           Double durationSeconds) {
}
