package io.backtrack.agent.drill;

import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.ToolErrors;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.restore.ArchiveSource;
import io.backtrack.agent.restore.DatabaseAdmin;
import io.backtrack.agent.restore.DatabaseNames;
import io.backtrack.agent.restore.RestorePhase;
import io.backtrack.agent.restore.RestoreRequest;
import io.backtrack.agent.restore.RestoreRunner;
import io.backtrack.agent.restore.RestoreScope;
import io.backtrack.agent.restore.RestoreStrategy;
import io.backtrack.agent.restore.VerifyMode;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.S3Location;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restore drill: the proof that a backup restores, and how long it takes. Restores the backup into a fresh
 * scratch database (strategy newDatabase: the archive's SHA-256 checked while it streams, every table's row count
 * compared with the manifest), runs the user's checks on it read-only with a statement timeout, then drops it
 * (unless kept). {@code recoverySeconds} is the time from start to a verified database.
 */
public final class DrillRunner {
    private static final int VALUE_CHARS = 64;

    /** {@code scratchDatabase} null: {@code <backed-up database>_drill_<UTC time>}. */
    public record DrillRequest(S3Location storage, BackupFolder folder, PgTarget server, String scratchDatabase,
                               Path pgBinRoot, List<DrillCheck> checks, boolean keep, Duration checkTimeout) {
    }

    private final DrillRequest request;

    public DrillRunner(DrillRequest request) {
        this.request = request;
    }

    public Map<String, Object> run() {
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
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("drill", true);
        result.put("scratchDatabase", scratch);
        Map<String, Object> restored;
        try {
            restored = new RestoreRunner(new RestoreRequest(request.storage(), request.folder(), target, false,
                    request.pgBinRoot(), RestoreStrategy.NEW_DATABASE, RestorePhase.ALL, null, null,
                    RestoreScope.whole(), VerifyMode.ROW_COUNTS, RestoreRequest.DEFAULT_LOCK_TIMEOUT)).run();
        } catch (AgentFailure e) {
            // A verification failure keeps the new database for inspection; a drill cleans up unless told to keep.
            boolean kept = request.keep() || !dropQuietly(target, scratch);
            Map<String, Object> extra = new LinkedHashMap<>(e.extra());
            extra.put("drill", true);
            extra.put("scratchDatabase", scratch);
            extra.put("scratchKept", kept);
            throw new AgentFailure(e.reason(), e.getMessage(), e, extra);
        }
        double recoverySeconds = Duration.between(startedAt, Instant.now()).toMillis() / 1000.0;
        for (String field : List.of("key", "archiveKey", "sha256", "sourceDatabase", "serverVersion", "tables",
                "rowsExpected", "rowsRestored", "mismatches", "unverified")) {
            if (restored.containsKey(field)) {
                result.put(field, restored.get(field));
            }
        }
        result.put("recoverySeconds", recoverySeconds);
        List<Map<String, Object>> checks = runChecks(target);
        result.put("checks", checks);
        boolean kept = request.keep() || !dropQuietly(target, scratch);
        result.put("scratchKept", kept);
        Instant completedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        result.put("startedAt", startedAt.toString());
        result.put("completedAt", completedAt.toString());
        result.put("durationSeconds", Duration.between(startedAt, completedAt).toMillis() / 1000.0);
        List<Map<String, Object>> failed = checks.stream().filter(c -> !Boolean.TRUE.equals(c.get("ok"))).toList();
        if (!failed.isEmpty()) {
            Map<String, Object> first = failed.get(0);
            throw new AgentFailure(Reason.VerificationFailed, "the backup restored and its row counts matched in "
                    + recoverySeconds + " s, but " + failed.size() + " check(s) failed (first: " + first.get("name")
                    + ": expected " + first.get("expect") + ", got " + first.get("value")
                    + (first.containsKey("error") ? ", " + first.get("error") : "") + ")", null, result);
        }
        StructuredLog.info("drill.completed", "database", scratch, "recoverySeconds", recoverySeconds);
        return result;
    }

    /** Each check in its own read-only transaction with a statement timeout; a failing query fails only its check. */
    private List<Map<String, Object>> runChecks(PgTarget target) {
        List<Map<String, Object>> results = new ArrayList<>();
        if (request.checks().isEmpty()) {
            return results;
        }
        try (Connection c = PgConnections.open(target)) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            for (DrillCheck check : request.checks()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", check.name());
                r.put("expect", check.expect());
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL statement_timeout = " + request.checkTimeout().toMillis());
                    String value = null;
                    try (ResultSet rs = st.executeQuery(check.sql())) {
                        if (rs.next()) {
                            value = rs.getString(1);
                        }
                    }
                    r.put("ok", check.accepts(value));
                    r.put("value", value == null ? null : value.length() <= VALUE_CHARS ? value
                            : value.substring(0, VALUE_CHARS) + "…");
                } catch (SQLException e) {
                    r.put("ok", false);
                    r.put("value", null);
                    r.put("error", ToolErrors.of(e));
                } finally {
                    c.rollback();
                }
                results.add(r);
            }
        } catch (SQLException e) {
            throw new AgentFailure(Reason.VerificationFailed, "cannot run the drill's checks in \""
                    + target.database() + "\": " + ToolErrors.of(e), e);
        }
        return results;
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
