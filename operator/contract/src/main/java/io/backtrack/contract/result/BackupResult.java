package io.backtrack.contract.result;

/**
 * {@code backtrack-agent backup}: what was written and what it holds. Times are ISO-8601 UTC.
 *
 * @param key              the backup's folder
 * @param compressionLevel null for compression none
 * @param tables           tables (and materialized views) counted in the dump's snapshot
 * @param largeObjects     large objects in the archive, null when the scope holds none
 * @param unverified       objects a restore cannot compare (foreign tables, unpopulated materialized views), null
 *                         when there are none
 */
public record BackupResult(String key, String manifestKey, String archiveKey, String bucket, String sha256,
                           Long sizeBytes, String compression, Integer compressionLevel, String format,
                           String database, String serverVersion, String toolVersion, Integer tables, Long rows,
                           Long largeObjects, Integer unverified, String startedAt, String completedAt,
                           Double durationSeconds) {
}
