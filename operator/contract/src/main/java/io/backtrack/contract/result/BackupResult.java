package io.backtrack.contract.result;

import java.util.List;

/**
 * {@code backtrack-agent backup}: what was written and what it holds. Times are ISO-8601 UTC.
 *
 * @param key              the backup's folder
 * @param compressionLevel null for compression none
 * @param tables           tables (and materialized views) counted in the dump's snapshot
 * @param largeObjects     large objects in the archive, null when the scope holds none
 * @param unverified       objects a restore cannot compare (foreign tables, unpopulated materialized views), null
 *                         when there are none
 * @param roles            roles the database's objects are owned by or granted to, written to the folder's roles
 *                         script (null from agents before roles were captured)
 * @param encryption       {@code age} when the archive (and its roles file) is encrypted client-side, else null
 * @param recipients       the age recipients (public keys) an encrypted archive can be decrypted by, else null
 */
public record BackupResult(String key, String manifestKey, String archiveKey, String bucket, String sha256,
                           Long sizeBytes, String compression, Integer compressionLevel, String format,
                           String database, String serverVersion, String toolVersion, Integer tables, Long rows,
                           Long largeObjects, Integer unverified, Integer roles, String startedAt, String completedAt,
                           Double durationSeconds, String encryption, List<String> recipients) {
}
