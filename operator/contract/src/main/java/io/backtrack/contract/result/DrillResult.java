package io.backtrack.contract.result;

import java.util.List;

/**
 * {@code backtrack-agent drill}: the backup restored into a scratch database ({@code recoverySeconds} from start to a
 * database whose row counts matched), the checks run on it, and whether the scratch database was kept. A failed
 * drill carries what it got to (a failed check: everything; a failed restore: the counts so far).
 *
 * @param drill always true: tells a drill's result from a restore's
 */
public record DrillResult(Boolean drill, String scratchDatabase, String key, String archiveKey, String sha256,
                          String sourceDatabase, String serverVersion, Integer tables, Long rowsExpected,
                          Long rowsRestored, List<RowCountMismatch> mismatches, Integer unverified,
                          Double recoverySeconds, List<DrillCheckResult> checks, Boolean scratchKept,
                          String startedAt, String completedAt, Double durationSeconds) {

    /** Filled as the drill goes. */
    public static final class Builder {
        private final String scratchDatabase;
        private RestoreResult restored;
        private Double recoverySeconds;
        private List<DrillCheckResult> checks;
        private Boolean scratchKept;
        private String startedAt;
        private String completedAt;
        private Double durationSeconds;

        public Builder(String scratchDatabase) {
            this.scratchDatabase = scratchDatabase;
        }

        /** The restore into the scratch database (its archive, versions and row counts); null if it got nowhere. */
        public Builder restored(RestoreResult restored) {
            this.restored = restored;
            return this;
        }

        public Builder recoverySeconds(double seconds) {
            this.recoverySeconds = seconds;
            return this;
        }

        public Builder checks(List<DrillCheckResult> checks) {
            this.checks = checks;
            return this;
        }

        public Builder scratchKept(boolean kept) {
            this.scratchKept = kept;
            return this;
        }

        public Builder times(String startedAt, String completedAt, double durationSeconds) {
            this.startedAt = startedAt;
            this.completedAt = completedAt;
            this.durationSeconds = durationSeconds;
            return this;
        }

        public DrillResult build() {
            RestoreResult r = restored;
            return r == null
                    ? new DrillResult(true, scratchDatabase, null, null, null, null, null, null, null, null, null,
                    null, recoverySeconds, checks, scratchKept, startedAt, completedAt, durationSeconds)
                    : new DrillResult(true, scratchDatabase, r.key(), r.archiveKey(), r.sha256(), r.sourceDatabase(),
                    r.serverVersion(), r.tables(), r.rowsExpected(), r.rowsRestored(), r.mismatches(),
                    r.unverified(), recoverySeconds, checks, scratchKept, startedAt, completedAt, durationSeconds);
        }
    }
}
