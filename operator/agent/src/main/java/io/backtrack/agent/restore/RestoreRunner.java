package io.backtrack.agent.restore;

import io.backtrack.agent.concurrent.Futures;
import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgServerVersion;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.PgTool;
import io.backtrack.agent.engine.postgres.PgToolLocator;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.verify.VerifyRunner;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restore a backup folder with a strategy (newDatabase, swap, inPlace), in phases:
 * <ul>
 *   <li>check: touches nothing. Manifest, archive (full SHA-256 and decompression), server reachable and not older
 *       than the backup's source, a pg_restore for both, scope within the manifest, the strategy's preconditions.
 *   <li>restore: streams the archive (SHA-256 re-computed, tail held back until it matched) into pg_restore:
 *       a new database (newDatabase), a side database (swap; the live one is not touched), or the target in one
 *       transaction committed only after the archive matched (inPlace). A database this phase created is dropped
 *       on any failure.
 *   <li>verify: row counts against the manifest; for swap then the side database is put in place in one step and
 *       the replaced database kept as the previous database.
 *   <li>all: the three in one process (the archive is checked while it streams, not downloaded twice).
 * </ul>
 */
public final class RestoreRunner {
    private static final Pattern MAJOR = Pattern.compile("^(\\d+)");

    private final RestoreRequest request;

    public RestoreRunner(RestoreRequest request) {
        this.request = request;
    }

    public Map<String, Object> run() {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PgTarget target = request.target();
        RestoreStrategy strategy = request.strategy();
        RestorePhase phase = request.phase();
        if (strategy != RestoreStrategy.SWAP && (request.sideDatabase() != null || request.previousDatabase() != null)) {
            throw new AgentFailure(Reason.InvalidArguments, "--side-database and --previous-database are for "
                    + "strategy swap only (strategy is " + strategy + ")");
        }
        StructuredLog.info("restore.started", "phase", phase, "strategy", strategy, "bucket",
                request.storage().bucket(), "key", request.folder().key(), "server", target.address(), "database",
                target.database());
        // The database connection is opened while the storage side is checked (both are mostly class loading and
        // waiting); a storage or argument failure is still reported first, as when they were checked first.
        CompletableFuture<DatabaseAdmin> connecting = CompletableFuture.supplyAsync(() -> DatabaseAdmin.open(target));
        ObjectStore opened = null;
        Source source;
        try {
            opened = new ObjectStore(request.storage());
            source = source(opened, startedAt);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            connecting.thenAccept(DatabaseAdmin::close); // once it is open: nothing else will use it
            throw e;
        }
        Manifest manifest = source.manifest();
        List<TableRows> inScope = source.inScope();
        Swap names = source.names();
        try (ObjectStore store = opened; DatabaseAdmin admin = Futures.join(connecting)) {
            PgServerVersion server = serverVersion(admin, target);
            requireNotOlder(manifest, server, target);
            int archiveMajor = PgToolLocator.majorOf(manifest.toolVersion()).orElse(0);
            PgToolLocator tools = new PgToolLocator(request.pgBinRoot());
            PgTool pgRestore = tools.require("pg_restore", Math.max(server.major(), archiveMajor),
                    "the agent image must carry client tools >= the server's and the archive's major version "
                            + "(archive made by " + manifest.toolVersion() + ")");
            PgTool psql = strategy == RestoreStrategy.IN_PLACE && phase != RestorePhase.VERIFY
                    ? tools.require("psql", pgRestore.major(), "an in-place restore runs pg_restore's SQL "
                    + "through psql in one transaction") : null;

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("phase", phase.cli());
            result.put("strategy", strategy.cli());
            result.put("key", request.folder().key());
            result.put("archiveKey", manifest.archiveKey());
            result.put("bucket", request.storage().bucket());
            result.put("database", target.database());
            if (strategy == RestoreStrategy.SWAP) {
                result.put("sideDatabase", names.side());
            }
            result.put("sourceDatabase", manifest.database());
            result.put("sourceServerVersion", manifest.serverVersion());
            result.put("sha256", manifest.sha256());
            result.put("sizeBytes", manifest.sizeBytes());
            result.put("serverVersion", server.text());
            result.put("toolVersion", PgToolLocator.versionOf(pgRestore));
            if (request.scope().partial()) {
                result.put("scope", request.scope().describe());
            }

            switch (phase) {
                case CHECK -> {
                    requireRestorable(admin, names);
                    VerifyRunner.ArchiveScan scan = VerifyRunner.scan(store, manifest);
                    result.put("archiveVerified", true);
                    result.put("uncompressedBytes", scan.uncompressedBytes());
                    result.put("tables", inScope.size());
                    result.put("rows", expectedRows(inScope));
                    if (strategy == RestoreStrategy.SWAP) {
                        result.put("previousDatabase", names.previous());
                    }
                }
                case RESTORE -> {
                    requireRestorable(admin, names);
                    restore(admin, store, manifest, pgRestore, psql, names);
                    result.put("database", strategy == RestoreStrategy.SWAP ? names.side() : target.database());
                    result.put("archiveVerified", true);
                }
                case VERIFY -> {
                    requireVerifiable(admin, names);
                    result.putAll(verify(admin, inScope, names, result, startedAt));
                }
                case ALL -> {
                    requireRestorable(admin, names);
                    restore(admin, store, manifest, pgRestore, psql, names);
                    result.put("archiveVerified", true);
                    result.putAll(verify(admin, inScope, names, result, startedAt));
                }
            }
            Instant completedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            double seconds = Duration.between(startedAt, completedAt).toMillis() / 1000.0;
            result.put("startedAt", startedAt.toString());
            result.put("completedAt", completedAt.toString());
            result.put("durationSeconds", seconds);
            StructuredLog.info("restore.phase-completed", "phase", phase, "strategy", strategy, "database",
                    result.get("database"), "seconds", seconds);
            return result;
        }
    }

    /** The swap's two other names. */
    private record Swap(String side, String previous) {
    }

    /** What the storage side settles before any database is touched. */
    private record Source(Manifest manifest, Swap names, List<TableRows> inScope) {
    }

    /** Bucket, manifest and archive checked, names and scope validated against them; touches no database. */
    private Source source(ObjectStore store, Instant startedAt) {
        PgTarget target = request.target();
        store.requireBucket();
        Manifest manifest = ArchiveSource.readManifest(store, request.folder());
        ArchiveSource.requireArchive(store, manifest);
        String side = request.sideDatabase() != null ? request.sideDatabase()
                : DatabaseNames.side(target.database(), manifest.sha256());
        String previous = request.previousDatabase() != null ? request.previousDatabase()
                : DatabaseNames.previous(target.database(), startedAt);
        if (request.strategy() == RestoreStrategy.SWAP && (side.equals(target.database())
                || previous.equals(target.database()) || side.equals(previous))) {
            throw new AgentFailure(Reason.InvalidArguments, "--dbname, --side-database and --previous-database "
                    + "must be three different names (got " + target.database() + ", " + side + ", " + previous + ")");
        }
        request.scope().validate(manifest, request.strategy());
        return new Source(manifest, new Swap(side, previous), request.scope().tablesIn(manifest));
    }

    private static PgServerVersion serverVersion(DatabaseAdmin admin, PgTarget target) {
        try {
            return PgServerVersion.of(admin.connection());
        } catch (SQLException e) {
            throw new AgentFailure(Reason.DatabaseUnreachable, "cannot read the server version of "
                    + target.address() + ": " + e.getMessage(), e);
        }
    }

    /** pg_restore cannot load a newer server's dump into an older server reliably: refuse it up front. */
    static void requireNotOlder(Manifest manifest, PgServerVersion server, PgTarget target) {
        Integer source = sourceMajor(manifest.serverVersion());
        if (source != null && server.major() < source) {
            throw new AgentFailure(Reason.RestoreFailed, "the backup comes from PostgreSQL " + manifest.serverVersion()
                    + " but " + target.address() + " runs " + server.text() + "; restore to a server of version "
                    + source + " or later");
        }
    }

    static Integer sourceMajor(String serverVersion) {
        if (serverVersion == null) {
            return null;
        }
        Matcher m = MAJOR.matcher(serverVersion.strip());
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** Preconditions of the check and restore phases; touches nothing. */
    private void requireRestorable(DatabaseAdmin admin, Swap names) {
        PgTarget target = request.target();
        String db = target.database();
        switch (request.strategy()) {
            case NEW_DATABASE -> {
                if (admin.exists(db)) {
                    throw new AgentFailure(Reason.DatabaseExists, "database \"" + db + "\" already exists on "
                            + target.address() + "; strategy newDatabase restores into a new database name only "
                            + "(use strategy swap or inPlace to replace it, or drop or rename it first)");
                }
                if (!admin.canCreateDatabases()) {
                    throw new AgentFailure(Reason.RestoreFailed, "user \"" + target.username() + "\" may not create "
                            + "databases on " + target.address() + " (needs CREATEDB or superuser)");
                }
            }
            case SWAP -> {
                requireExists(admin, db, "strategy swap replaces an existing database; use strategy newDatabase "
                        + "to restore into a new one");
                if (admin.exists(names.side())) {
                    throw new AgentFailure(Reason.DatabaseExists, "the side database \"" + names.side()
                            + "\" already exists on " + target.address() + " (left from an earlier restore?); drop it "
                            + "or pass another --side-database");
                }
                if (admin.exists(names.previous())) {
                    throw new AgentFailure(Reason.DatabaseExists, "database \"" + names.previous() + "\" (where the "
                            + "live database would be kept) already exists on " + target.address()
                            + "; pass another --previous-database");
                }
                if (!admin.canCreateDatabases()) {
                    throw new AgentFailure(Reason.RestoreFailed, "strategy swap restores into a new side database, "
                            + "but user \"" + target.username() + "\" may not create databases on " + target.address()
                            + " (needs CREATEDB or superuser); use strategy inPlace instead");
                }
                if (!admin.mayAlter(db)) {
                    throw new AgentFailure(Reason.RestoreFailed, "strategy swap renames database \"" + db
                            + "\", which only its owner or a superuser may do, and user \"" + target.username()
                            + "\" is neither; use strategy inPlace instead");
                }
            }
            case IN_PLACE -> requireExists(admin, db, "strategy inPlace restores into an existing database; use "
                    + "strategy newDatabase to restore into a new one");
        }
    }

    private void requireVerifiable(DatabaseAdmin admin, Swap names) {
        PgTarget target = request.target();
        if (request.strategy() == RestoreStrategy.SWAP) {
            if (!admin.exists(names.side())) {
                throw new AgentFailure(Reason.DatabaseNotFound, "the side database \"" + names.side()
                        + "\" does not exist on " + target.address() + "; run the restore phase first (with the "
                        + "same --side-database)");
            }
            requireExists(admin, target.database(), "strategy swap replaces an existing database");
            if (admin.exists(names.previous())) {
                throw new AgentFailure(Reason.DatabaseExists, "database \"" + names.previous() + "\" already exists on "
                        + target.address() + "; pass another --previous-database");
            }
        } else {
            requireExists(admin, target.database(), "nothing was restored into it");
        }
    }

    private void requireExists(DatabaseAdmin admin, String db, String hint) {
        if (!admin.exists(db)) {
            throw new AgentFailure(Reason.DatabaseNotFound, "database \"" + db + "\" does not exist on "
                    + request.target().address() + "; " + hint);
        }
    }

    private void restore(DatabaseAdmin admin, ObjectStore store, Manifest manifest, PgTool pgRestore, PgTool psql,
                         Swap names) {
        PgTarget target = request.target();
        RestoreScope scope = request.scope();
        List<String> switches = scope.pgRestoreSwitches(manifest);
        if (request.strategy() == RestoreStrategy.IN_PLACE) {
            new ArchiveStreamer(store, manifest, target, request.noOwner())
                    .inPlace(pgRestore, psql, switches, scope.preludeSql(manifest, RestoreStrategy.IN_PLACE),
                            !scope.dataOnly());
            StructuredLog.info("restore.restored", "database", target.database(), "strategy", "inPlace");
            return;
        }
        String into = request.strategy() == RestoreStrategy.SWAP ? names.side() : target.database();
        PgTarget db = target.withDatabase(into);
        admin.create(into);
        try {
            prepareFreshDatabase(manifest, db);
            new ArchiveStreamer(store, manifest, db, request.noOwner()).intoNewDatabase(pgRestore, switches);
        } catch (RuntimeException e) {
            admin.dropQuietly(into, "the restore failed; no half-restored database is left behind");
            throw e;
        }
        StructuredLog.info("restore.restored", "database", into, "strategy", request.strategy());
    }

    /**
     * A fresh database has a {@code public} schema and nothing else. A selective restore needs its schemas created
     * first (pg_restore's -t/-n never create them); a whole restore of a partial archive needs the same for a
     * {@code --table} backup (which holds no CREATE SCHEMA) and {@code public} gone for a {@code --schema public}
     * backup (which creates it). This database was created by this run and is empty, so this is safe.
     */
    private void prepareFreshDatabase(Manifest manifest, PgTarget db) {
        List<String> sql = new ArrayList<>();
        RestoreScope scope = request.scope();
        if (scope.selective()) {
            sql.addAll(scope.preludeSql(manifest, request.strategy()));
        } else if (manifest.scope() != null && !manifest.scope().tables().isEmpty()) {
            for (String schema : manifest.tables().stream().map(TableRows::schema).distinct().toList()) {
                sql.add("CREATE SCHEMA IF NOT EXISTS " + PgConnections.quoteIdent(schema));
            }
        } else if (manifest.scope() != null && manifest.scope().schemas().contains("public")) {
            sql.add("DROP SCHEMA IF EXISTS public");
        }
        if (sql.isEmpty()) {
            return;
        }
        try (Connection c = PgConnections.open(db); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot prepare schemas in \"" + db.database() + "\": "
                    + e.getMessage(), e);
        }
    }

    private long expectedRows(List<TableRows> inScope) {
        return request.scope().schemaOnly() ? 0 : inScope.stream().mapToLong(TableRows::rows).sum();
    }

    /** Row counts; then, for swap, the side database goes in place. Returns the verify fields. */
    private Map<String, Object> verify(DatabaseAdmin admin, List<TableRows> inScope, Swap names,
                                       Map<String, Object> soFar, Instant startedAt) {
        PgTarget target = request.target();
        boolean swap = request.strategy() == RestoreStrategy.SWAP;
        String restoredInto = swap ? names.side() : target.database();
        Map<String, Object> fields = new LinkedHashMap<>();
        List<TableRows> expected = request.scope().schemaOnly()
                ? inScope.stream().map(t -> new TableRows(t.schema(), t.name(), 0)).toList() : inScope;
        if (request.verify() == VerifyMode.NONE) {
            fields.put("tables", expected.size());
            fields.put("rowsExpected", expectedRows(inScope));
            fields.put("verified", false);
        } else {
            RowVerification verification;
            try {
                verification = RowVerification.count(target.withDatabase(restoredInto), expected);
            } catch (AgentFailure e) {
                if (swap) {
                    admin.dropQuietly(names.side(), "its row counts could not be verified; the live database is untouched");
                } else if (request.strategy() == RestoreStrategy.NEW_DATABASE && request.phase() == RestorePhase.ALL) {
                    admin.dropQuietly(target.database(), "its row counts could not be verified");
                }
                throw e;
            }
            fields.putAll(verification.fields());
            fields.put("verified", true);
            if (!verification.mismatches().isEmpty()) {
                String what = verification.mismatches().size() + " table(s) have different row counts than the "
                        + "backup (first: " + RowVerification.describe(verification.mismatches().get(0)) + "); ";
                String outcome;
                if (swap) {
                    admin.dropQuietly(names.side(), "its row counts do not match the backup");
                    outcome = "the side database \"" + names.side() + "\" was dropped and the live database \""
                            + target.database() + "\" is untouched";
                } else if (request.strategy() == RestoreStrategy.IN_PLACE) {
                    outcome = "the restored data was kept in \"" + target.database() + "\" (a safety backup, if one "
                            + "was taken, holds what was there before)";
                } else {
                    outcome = "database \"" + target.database() + "\" was kept for inspection: drop it when done";
                }
                Map<String, Object> extra = new LinkedHashMap<>(soFar);
                extra.putAll(fields);
                extra.put("verified", false);
                extra.remove("ok");
                throw new AgentFailure(Reason.VerificationFailed, what + outcome, null, withoutNulls(extra));
            }
        }
        if (swap) {
            try {
                admin.swap(target.database(), names.side(), names.previous());
            } catch (AgentFailure e) {
                throw new AgentFailure(e.reason(), e.getMessage() + "; the verified restore stays in \""
                        + names.side() + "\" (run the verify phase again to put it in place, or drop it)", e);
            }
            fields.put("database", target.database());
            fields.put("previousDatabase", names.previous());
        }
        return fields;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
