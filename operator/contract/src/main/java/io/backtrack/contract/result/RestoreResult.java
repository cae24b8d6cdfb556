package io.backtrack.contract.result;

import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;

import java.util.List;

/**
 * {@code backtrack-agent restore}: one step's outcome (or all steps'). Which fields a step fills:
 * <ul>
 *   <li>every step: step, strategy, the archive (key, archiveKey, bucket, sha256, sizeBytes), the target database
 *       (for swap also sideDatabase), the backup's source database and server version, the target's server and
 *       pg_restore versions, scope (a partial restore), unverified, the times;
 *   <li>check: archiveVerified and uncompressedBytes (the whole archive was read), tables and rows in scope,
 *       previousDatabase (swap), rolesToCreate (missing roles that --roles createMissing will create), and for inPlace the estimated locksNeeded and the keptObjects the target has that
 *       the backup does not;
 *   <li>restore: archiveVerified (the archive matched while it streamed), database (swap: the side database),
 *       rolesCreated (the roles it created before restoring), and for inPlace the row counts compared inside its transaction (verifiedBeforeCommit);
 *   <li>compare: the row counts (tables, rowsExpected, rowsRestored, mismatches) and verified; for swap the
 *       database now in place and previousDatabase, the replaced one kept.
 * </ul>
 * A VerificationFailed failure carries the fields so far, the counts and mismatches included; when the mismatches do
 * not fit in the 4 KiB of a result line the first of them are listed and {@code mismatchesTruncated} is true.
 *
 * @param verified true when row counts were compared (false with --verify none)
 */
public record RestoreResult(String step, String strategy, String key, String archiveKey, String bucket,
                            String database, String sideDatabase, String sourceDatabase, String sourceServerVersion,
                            String sha256, Long sizeBytes, String serverVersion, String toolVersion, String scope,
                            Integer unverified, Long locksNeeded, List<String> keptObjects, Integer keptObjectCount,
                            Boolean archiveVerified, Long uncompressedBytes, Integer tables, Long rows,
                            String previousDatabase, Long rowsExpected, Long rowsRestored,
                            List<RowCountMismatch> mismatches, Boolean mismatchesTruncated, Boolean verified,
                            Boolean verifiedBeforeCommit, List<String> rolesToCreate, List<String> rolesCreated, String startedAt, String completedAt,
                            Double durationSeconds) {

    /** Filled as the restore goes; {@link #build()} at any point gives the result so far. */
    public static final class Builder {
        private final String step;
        private final String strategy;
        private String key;
        private String archiveKey;
        private String bucket;
        private String database;
        private String sideDatabase;
        private String sourceDatabase;
        private String sourceServerVersion;
        private String sha256;
        private Long sizeBytes;
        private String serverVersion;
        private String toolVersion;
        private String scope;
        private Integer unverified;
        private Long locksNeeded;
        private List<String> keptObjects;
        private Integer keptObjectCount;
        private Boolean archiveVerified;
        private Long uncompressedBytes;
        private Integer tables;
        private Long rows;
        private String previousDatabase;
        private Long rowsExpected;
        private Long rowsRestored;
        private List<RowCountMismatch> mismatches;
        private Boolean verified;
        private Boolean verifiedBeforeCommit;
        private List<String> rolesToCreate;
        private List<String> rolesCreated;
        private String startedAt;
        private String completedAt;
        private Double durationSeconds;

        public Builder(RestoreStep step, RestoreStrategy strategy) {
            this.step = step.wireName();
            this.strategy = strategy.wireName();
        }

        /** The backup folder and its archive as the manifest records it. */
        public Builder archive(String key, String archiveKey, String bucket, String sha256, long sizeBytes) {
            this.key = key;
            this.archiveKey = archiveKey;
            this.bucket = bucket;
            this.sha256 = sha256;
            this.sizeBytes = sizeBytes;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder sideDatabase(String sideDatabase) {
            this.sideDatabase = sideDatabase;
            return this;
        }

        public Builder previousDatabase(String previousDatabase) {
            this.previousDatabase = previousDatabase;
            return this;
        }

        /** The database the backup was taken of, and its server's version. */
        public Builder source(String database, String serverVersion) {
            this.sourceDatabase = database;
            this.sourceServerVersion = serverVersion;
            return this;
        }

        /** The target server's version and the pg_restore used. */
        public Builder versions(String serverVersion, String toolVersion) {
            this.serverVersion = serverVersion;
            this.toolVersion = toolVersion;
            return this;
        }

        /** A partial restore, described ("tables public.orders; data only"); null for the whole backup. */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /** Objects of the backup a restore cannot compare; null when there are none. */
        public Builder unverified(Integer unverified) {
            this.unverified = unverified;
            return this;
        }

        /** An inPlace check's estimate of the locks, and what the target keeps that the backup does not have. */
        public Builder inPlaceCheck(long locksNeeded, List<String> keptObjects, Integer keptObjectCount) {
            this.locksNeeded = locksNeeded;
            this.keptObjects = keptObjects;
            this.keptObjectCount = keptObjectCount;
            return this;
        }

        /** The archive's SHA-256 matched its manifest; {@code uncompressedBytes} when it was read to its end. */
        public Builder archiveVerified(Long uncompressedBytes) {
            this.archiveVerified = true;
            this.uncompressedBytes = uncompressedBytes;
            return this;
        }

        /** What the check found in scope: tables and the manifest's rows of them. */
        public Builder inScope(int tables, long rows) {
            this.tables = tables;
            this.rows = rows;
            return this;
        }

        /** Row counts compared with the manifest's ({@code rowsRestored} and mismatches null when not counted). */
        public Builder counts(int tables, long rowsExpected, Long rowsRestored, List<RowCountMismatch> mismatches) {
            this.tables = tables;
            this.rowsExpected = rowsExpected;
            this.rowsRestored = rowsRestored;
            this.mismatches = mismatches;
            return this;
        }

        /**
         * @param verified     whether row counts were compared
         * @param beforeCommit inPlace: inside the restore's own transaction; null otherwise
         */
        public Builder verified(boolean verified, Boolean beforeCommit) {
            this.verified = verified;
            this.verifiedBeforeCommit = beforeCommit;
            return this;
        }

        /** Missing roles the restore step will create (check step); null when none are missing. */
        public Builder rolesToCreate(List<String> roles) {
            this.rolesToCreate = roles == null || roles.isEmpty() ? null : List.copyOf(roles);
            return this;
        }

        /** Roles the restore step created before restoring; null when it created none. */
        public Builder rolesCreated(List<String> roles) {
            this.rolesCreated = roles == null || roles.isEmpty() ? null : List.copyOf(roles);
            return this;
        }

        public Builder times(String startedAt, String completedAt, double durationSeconds) {
            this.startedAt = startedAt;
            this.completedAt = completedAt;
            this.durationSeconds = durationSeconds;
            return this;
        }

        public RestoreResult build() {
            return new RestoreResult(step, strategy, key, archiveKey, bucket, database, sideDatabase, sourceDatabase,
                    sourceServerVersion, sha256, sizeBytes, serverVersion, toolVersion, scope, unverified, locksNeeded,
                    keptObjects, keptObjectCount, archiveVerified, uncompressedBytes, tables, rows, previousDatabase,
                    rowsExpected, rowsRestored, mismatches, null, verified, verifiedBeforeCommit, rolesToCreate, rolesCreated, startedAt,
                    completedAt, durationSeconds);
        }
    }
}
