package io.backtrack.agent.drill;

import io.backtrack.agent.archive.ArchiveSource;
import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.ToolErrors;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.restore.DatabaseAdmin;
import io.backtrack.agent.restore.RestoreRequest;
import io.backtrack.agent.restore.RestoreRunner;
import io.backtrack.agent.restore.RestoreSelection;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.names.DatabaseNames;
import io.backtrack.contract.result.DrillCheckResult;
import io.backtrack.contract.result.DrillResult;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.RestoreResult;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;
import io.backtrack.contract.wire.RolesPolicy;
import io.backtrack.contract.wire.VerifyMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A restore drill: the proof that a backup restores, and how long it takes. Restores the backup into a fresh
 * scratch database (strategy newDatabase: the archive's SHA-256 checked while it streams, every table's row count
 * compared with the manifest), runs the user's checks on it read-only with a statement timeout, then drops it
 * (unless kept). {@code recoverySeconds} is the time from start to a database whose row counts matched.
 */
public final class DrillRunner {
    private static final int VALUE_CHARS = 64;

    /** {@code scratchDatabase} null: {@code <backed-up database>_drill_<UTC time>}. */
    public record DrillRequest(S3Location storage, BackupFolder folder, PgTarget server, String scratchDatabase,
                               Path pgBinRoot, List<DrillCheck> checks, boolean keep, Duration checkTimeout,
                               AgeIdentity identity) {
    }

    private final DrillRequest request;

    public DrillRunner(DrillRequest request) {
        this.request = request;
    }

    public DrillResult run() {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Manifest manifest;
        try (ObjectStore store = new ObjectStore(request.storage())) {
            store.requireBucket();
            manifest = ArchiveSource.readManifest(store, request.folder());
        }
        String scratch = request.scratchDatabase() != null ? request.scratchDatabase()
                : DatabaseNames.drill(manifest.database(), startedAt);
        if (scratch.equals(manifest.database())) {
            throw new AgentFailure(Reason.InvalidArguments, "a drill restores into a scratch database, never into \""
                    + scratch + "\", the database the backup was taken from; choose another --dbname");
        }
        PgTarget target = request.server().withDatabase(scratch);
        StructuredLog.info("drill.started", "key", request.folder().key(), "server", target.address(),
                "database", scratch);
        DrillResult.Builder result = new DrillResult.Builder(scratch);
        try {
            requireNew(target, scratch);
            result.restored(new RestoreRunner(new RestoreRequest(request.storage(), request.folder(), target, false,
                    request.pgBinRoot(), RestoreStrategy.NEW_DATABASE, RestoreStep.ALL, null, null,
                    RestoreSelection.whole(), VerifyMode.ROW_COUNTS, RestoreRequest.DEFAULT_LOCK_TIMEOUT,
                    RolesPolicy.SKIP, request.identity(), 1)).run());
        } catch (AgentFailure e) {
            if (e.reason() == Reason.DatabaseExists) {
                // Not this drill's database (another one of that name was there first): never dropped.
                result.restored(null).scratchKept(false);
                throw new AgentFailure(e.reason(), e.getMessage() + "; a drill's scratch database must be new, and "
                        + "the existing one was left alone", e, result.build());
            }
            // A row-count mismatch keeps the new database for inspection; a drill cleans up unless told to keep.
            boolean kept = request.keep() || !dropQuietly(target, scratch);
            result.restored(e.soFar() instanceof RestoreResult soFar ? soFar : null).scratchKept(kept);
            throw new AgentFailure(e.reason(), e.getMessage(), e, result.build());
        }
        double recoverySeconds = Duration.between(startedAt, Instant.now()).toMillis() / 1000.0;
        result.recoverySeconds(recoverySeconds);
        List<DrillCheckResult> checks = runChecks(target);
        result.checks(checks);
        result.scratchKept(request.keep() || !dropQuietly(target, scratch));
        Instant completedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        result.times(startedAt.toString(), completedAt.toString(),
                Duration.between(startedAt, completedAt).toMillis() / 1000.0);
        List<DrillCheckResult> failed = checks.stream().filter(c -> !Boolean.TRUE.equals(c.ok())).toList();
        if (!failed.isEmpty()) {
            DrillCheckResult first = failed.get(0);
            throw new AgentFailure(Reason.VerificationFailed, "the backup restored and its row counts matched in "
                    + recoverySeconds + " s, but " + failed.size() + " check(s) failed (first: " + first.name()
                    + ": expected " + first.expect() + ", got " + first.value()
                    + (first.error() != null ? ", " + first.error() : "") + ")", null, result.build());
        }
        StructuredLog.info("drill.completed", "database", scratch, "recoverySeconds", recoverySeconds);
        return result.build();
    }

    /** Each check in its own read-only transaction with a statement timeout; a failing query fails only its check. */
    private List<DrillCheckResult> runChecks(PgTarget target) {
        List<DrillCheckResult> results = new ArrayList<>();
        if (request.checks().isEmpty()) {
            return results;
        }
        try (Connection c = PgConnections.open(target)) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            for (DrillCheck check : request.checks()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL statement_timeout = " + request.checkTimeout().toMillis());
                    String value = null;
                    try (ResultSet rs = st.executeQuery(check.sql())) {
                        if (rs.next()) {
                            value = rs.getString(1);
                        }
                    }
                    results.add(new DrillCheckResult(check.name(), check.expect(), check.accepts(value),
                            value == null || value.length() <= VALUE_CHARS ? value
                                    : value.substring(0, VALUE_CHARS) + "…", null));
                } catch (SQLException e) {
                    results.add(new DrillCheckResult(check.name(), check.expect(), false, null, ToolErrors.of(e)));
                } finally {
                    c.rollback();
                }
            }
        } catch (SQLException e) {
            throw new AgentFailure(Reason.VerificationFailed, "cannot run the drill's checks in \""
                    + target.database() + "\": " + ToolErrors.of(e), e);
        }
        return results;
    }

    /**
     * The scratch database must not exist before the drill: every later failure drops it, and a failure found before
     * the restore creates it (a missing or wrong identity, a corrupt archive) must never drop someone else's.
     */
    private static void requireNew(PgTarget target, String scratch) {
        try (DatabaseAdmin admin = DatabaseAdmin.open(target)) {
            if (admin.exists(scratch)) {
                throw new AgentFailure(Reason.DatabaseExists, "database \"" + scratch + "\" already exists on "
                        + target.address());
            }
        }
    }

    private static boolean dropQuietly(PgTarget target, String scratch) {
        try (DatabaseAdmin admin = DatabaseAdmin.open(target)) {
            if (admin.exists(scratch)) {
                admin.drop(scratch);
            }
            return true;
        } catch (AgentFailure e) {
            StructuredLog.error("drill.drop-failed", "database", scratch, "reason", e.reason());
            return false;
        }
    }
}
