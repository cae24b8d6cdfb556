package io.backtrack.contract.result;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * {@code backtrack-agent probe}: the storage location works — the bucket was listed under the prefix, and a probe
 * object was written there, read back byte for byte and deleted — and what is under the prefix. With
 * {@code --discover}, also the completed backups whose folders the operator did not name as known, as many as fit in
 * the result line ({@link ResultLine#MAX_BYTES}); {@code remaining} says how many more there are, for the next probe.
 *
 * @param prefix       the prefix looked under, without slashes; empty for the whole bucket
 * @param backups      completed backups under the prefix (folders holding a manifest.json)
 * @param bytes        bytes of every object in those folders (archives and manifests)
 * @param objects      every object under the prefix, backups or not
 * @param skippedCount (--discover) folders not known to the operator that are not a backup that can be imported
 *                     ({@link SkippedFolder}); complete only when {@code remaining} is 0
 * @param skipped      (--discover) the first {@value #MAX_SKIPPED} of them
 * @param found        (--discover) completed backups not known to the operator, with what their manifests say
 * @param remaining    (--discover) further such folders not examined or not reported in this result
 */
public record ProbeResult(String bucket, String prefix, Integer backups, Long bytes, Integer objects,
                          Integer skippedCount, List<SkippedFolder> skipped, List<FoundBackup> found,
                          Integer remaining, Double durationSeconds) {

    /** At most this many skipped folders are named. */
    public static final int MAX_SKIPPED = 10;

    /** A probe without --discover. */
    public ProbeResult(String bucket, String prefix, Integer backups, Long bytes, Integer objects,
                       Double durationSeconds) {
        this(bucket, prefix, backups, bytes, objects, null, null, null, null, durationSeconds);
    }

    /**
     * A folder that is not a backup that can be imported; it never is, until what is wrong with it is fixed.
     *
     * @param key    the folder
     * @param reason {@link #NO_MANIFEST}, {@link #MANIFEST_UNREADABLE}, {@link #ARCHIVE_MISSING},
     *               {@link #ARCHIVE_SIZE_MISMATCH} or {@link #TOO_LONG}
     */
    public record SkippedFolder(String key, String reason) {
        /** An archive without manifest.json: a backup that failed or is being written (the manifest comes last). */
        public static final String NO_MANIFEST = "NoManifest";
        /** manifest.json is not a Backtrack manifest: not JSON, another formatVersion, a required field missing. */
        public static final String MANIFEST_UNREADABLE = "ManifestUnreadable";
        /** The archive (or roles file) the manifest names is not in the folder. */
        public static final String ARCHIVE_MISSING = "ArchiveMissing";
        /** The archive (or roles file) the manifest names has another size than the manifest says. */
        public static final String ARCHIVE_SIZE_MISMATCH = "ArchiveSizeMismatch";
        /** Its key and manifest are too long to report in one result line. */
        public static final String TOO_LONG = "TooLongToReport";
    }

    /**
     * A completed backup as its manifest describes it (times ISO-8601 UTC), checked against the bucket: its archive is
     * in the folder with the manifest's size.
     *
     * @param key        the backup's folder
     * @param archive    the archive's object name in that folder ({@code key + "/" + archive} is its key)
     * @param encryption {@code age} when the archive is encrypted, else null
     * @param recipients the public keys it was encrypted to, as the manifest lists them
     * @param namespace  the namespace of the Backup resource that wrote it (null for a CLI backup)
     * @param backup     that Backup's name (null for a CLI backup)
     * @param schedule   the BackupSchedule that created that Backup, or null
     * @param tables     how many tables the manifest counts rows of
     */
    public record FoundBackup(String key, String archive, String sha256, Long sizeBytes, String compression,
                              String encryption, List<String> recipients, String format, String database,
                              String namespace, String backup, String schedule, String description,
                              String serverVersion, Integer tables, Long rows, Long largeObjects, String startedAt,
                              String completedAt) {

        @JsonIgnore
        public String archiveKey() {
            return key + "/" + archive;
        }
    }
}
