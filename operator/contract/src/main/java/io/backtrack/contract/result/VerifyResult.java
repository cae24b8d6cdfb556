package io.backtrack.contract.result;

/**
 * {@code backtrack-agent verify}: the stored archive matched its manifest (SHA-256 and size) and decompressed into a
 * pg_dump archive; no database was touched. An encrypted archive is decrypted only with {@code --deep} (and an
 * identity); without, its SHA-256 and size prove it intact, which needs no key.
 *
 * @param uncompressedBytes the dump's size, null when an encrypted archive was not decrypted
 * @param completedAt       when the backup completed, from its manifest
 * @param encryption        {@code age} for an encrypted archive, else null
 * @param decrypted         for an encrypted archive: whether it was decrypted and decompressed too, else null
 */
public record VerifyResult(String key, String archiveKey, String bucket, String sha256, Long sizeBytes,
                           Long uncompressedBytes, Boolean archiveVerified, String database, String completedAt,
                           Double durationSeconds, String encryption, Boolean decrypted) {
}
