package io.backtrack.agent.restore;

import io.backtrack.agent.archive.ArchiveScan;
import io.backtrack.agent.archive.ArchiveSource;
import io.backtrack.agent.concurrent.Futures;
import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgServerVersion;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.PgTool;
import io.backtrack.agent.engine.postgres.PgToolLocator;
import io.backtrack.agent.engine.postgres.ToolErrors;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.names.DatabaseNames;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.RestoreResult;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;
import io.backtrack.contract.wire.VerifyMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restore a backup folder with a strategy (newDatabase, swap, inPlace), in steps:
 * <ul>
 *   <li>check: touches nothing. Manifest, archive (full SHA-256, decryption of an encrypted one, decompression)
 *       and its table of contents (an encrypted archive's header is opened with the identity first: a missing or
 *       wrong identity fails with DecryptionFailed before any step touches a database),
 *       server reachable and not older than the backup's source, a pg_restore for both, the scope against the
 *       backup, the strategy's preconditions, and for inPlace what the in-place restore would fail on
 *       ({@link InPlaceChecks}).
 *   <li>restore: streams the archive (SHA-256 re-computed, tail held back until it matched) into pg_restore:
 *       a new database (newDatabase), a side database created like the live one (swap; the live one is not
 *       touched), or the target in one transaction that commits only after the archive matched and every
 *       restored table's row count matched the manifest, inside that transaction (inPlace; see
 *       {@link InPlaceRestore}). A database this step created is dropped on any failure.
 *   <li>compare (newDatabase, swap): row counts against the manifest; for swap then the side database takes the
 *       live one's grants, settings and comment and is put in place in one step, the replaced database kept.
 *   <li>all: the steps in one process (the archive is checked while it streams, not downloaded twice).
 * </ul>
 */
public final class RestoreRunner {
    private static final Pattern MAJOR = Pattern.compile("^(\\d+)");

    private final RestoreRequest request;

    public RestoreRunner(RestoreRequest request) {
        this.request = request;
    }

    public RestoreResult run() {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PgTarget target = request.target();
        RestoreStrategy strategy = request.strategy();
        RestoreStep step = request.step();
        if (strategy != RestoreStrategy.SWAP && (request.sideDatabase() != null || request.previousDatabase() != null)) {
            throw new AgentFailure(Reason.InvalidArguments, "--side-database and --previous-database are for "
                    + "strategy swap only (strategy is " + strategy + ")");
        }
        if (strategy == RestoreStrategy.IN_PLACE && request.jobs() > 1) {
            throw new AgentFailure(Reason.InvalidArguments, "an in-place restore runs in one transaction through "
                    + "psql, which parallel jobs cannot share: leave " + AgentFlags.JOBS + " (parallelJobs) at 1, or "
                    + "use strategy swap or newDatabase");
        }
        if (step == RestoreStep.COMPARE && !strategy.hasCompareStep()) {
            throw new AgentFailure(Reason.InvalidArguments, "an in-place restore compares its row counts inside its own "
                    + "transaction, before it commits (the restore step); it has no separate compare step");
        }
        StructuredLog.info("restore.started", "step", step, "strategy", strategy, "bucket",
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
        Swap names = source.names();
        try (ObjectStore store = opened; DatabaseAdmin admin = Futures.join(connecting)) {
            PgServerVersion server = serverVersion(admin, target);
            requireNotOlder(manifest, server, target);
            int archiveMajor = PgToolLocator.majorOf(manifest.toolVersion()).orElse(0);
            PgToolLocator tools = new PgToolLocator(request.pgBinRoot());
            PgTool pgRestore = tools.require("pg_restore", Math.max(server.major(), archiveMajor),
                    "the agent image must carry client tools >= the server's and the archive's major version "
                            + "(archive made by " + manifest.toolVersion() + ")");
            PgTool psql = strategy == RestoreStrategy.IN_PLACE && step != RestoreStep.CHECK
                    ? tools.require("psql", pgRestore.major(), "an in-place restore runs pg_restore's SQL "
                    + "through psql in one transaction") : null;

            RestoreResult.Builder result = new RestoreResult.Builder(step, strategy)
                    .archive(request.folder().key(), manifest.archiveKey(), request.storage().bucket(),
                            manifest.sha256(), manifest.sizeBytes())
                    .database(target.database())
                    .sideDatabase(strategy == RestoreStrategy.SWAP ? names.side() : null)
                    .source(manifest.database(), manifest.serverVersion())
                    .versions(server.text(), PgToolLocator.versionOf(pgRestore))
                    .scope(request.scope().partial() ? request.scope().describe() : null)
                    .unverified(manifest.unverified().isEmpty() ? null : manifest.unverified().size());
            try {
                switch (step) {
                    case CHECK -> {
                        requireRestorable(admin, names);
                        result.rolesToCreate(roles(source).check(admin, store).missing());
                        checkInPlace(source, result);
                        result.archiveVerified(ArchiveScan.of(store, manifest, request.identity()).uncompressedBytes())
                                .inScope(source.expected().tables().size(), source.expected().rows())
                                .previousDatabase(strategy == RestoreStrategy.SWAP ? names.previous() : null);
                    }
                    case RESTORE -> {
                        requireRestorable(admin, names);
                        RoleProvision roles = roles(source);
                        List<String> created = roles.create(admin, roles.check(admin, store));
                        result.rolesCreated(created);
                        RowVerification inTransaction = rolesStay(created,
                                () -> restore(admin, store, source, pgRestore, psql, server));
                        result.database(strategy == RestoreStrategy.SWAP ? names.side() : target.database())
                                .archiveVerified(null);
                        if (inTransaction != null) {
                            comparedBeforeCommit(inTransaction, result);
                        }
                    }
                    case COMPARE -> {
                        requireComparable(admin, names);
                        compare(admin, source, result);
                    }
                    case ALL -> {
                        requireRestorable(admin, names);
                        RoleProvision roles = roles(source);
                        RoleProvision.Plan plan = roles.check(admin, store);
                        checkInPlace(source, result);
                        List<String> created = roles.create(admin, plan);
                        result.rolesCreated(created);
                        RowVerification inTransaction = rolesStay(created,
                                () -> restore(admin, store, source, pgRestore, psql, server));
                        result.archiveVerified(null);
                        if (inTransaction != null) {
                            comparedBeforeCommit(inTransaction, result);
                        } else {
                            compare(admin, source, result);
                        }
                    }
                }
            } catch (AgentFailure e) {
                throw withResultSoFar(e, result);
            }
            Instant completedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            double seconds = Duration.between(startedAt, completedAt).toMillis() / 1000.0;
            RestoreResult done = result.times(startedAt.toString(), completedAt.toString(), seconds).build();
            StructuredLog.info("restore.step-completed", "step", step, "strategy", strategy, "database",
                    done.database(), "seconds", seconds);
            return done;
        }
    }

    /**
     * An in-place restore's row-count mismatch (its failure carries only the {@link RowVerification}) is reported with
     * the restore's result so far; every other failure as it is.
     */
    private static AgentFailure withResultSoFar(AgentFailure e, RestoreResult.Builder result) {
        if (e.soFar() instanceof RowVerification counts) {
            counts.into(result).verified(false, true);
            return new AgentFailure(e.reason(), e.getMessage(), e, result.build());
        }
        return e;
    }

    private RoleProvision roles(Source source) {
        return new RoleProvision(source.manifest(), source.toc(), source.scope(), request);
    }

    /** Roles are created outside the restore's transaction: a restore that fails afterwards says they remain. */
    private static RowVerification rolesStay(List<String> created, Supplier<RowVerification> restore) {
        try {
            return restore.get();
        } catch (AgentFailure e) {
            if (created.isEmpty()) {
                throw e;
            }
            throw new AgentFailure(e.reason(), e.getMessage() + "; role(s) " + String.join(", ", created)
                    + " were created on the server before the restore and remain", e, e.soFar());
        }
    }

    /** The swap's two other names. */
    private record Swap(String side, String previous) {
    }

    /** What the storage side settles before any database is touched. */
    private record Source(Manifest manifest, ArchiveToc toc, long tocLength, RestoreSelection.Resolved scope,
                          RowVerification.Expected expected, Swap names) {
    }

    /**
     * Bucket, manifest, archive and its TOC checked, names and scope validated against them; touches no database.
     * The bucket is checked while the manifest is read, and the archive's size while its TOC is read; failures are
     * reported in that order, as when each waited for the one before.
     */
    private Source source(ObjectStore store, Instant startedAt) {
        PgTarget target = request.target();
        CompletableFuture<Void> bucket = CompletableFuture.runAsync(store::requireBucket);
        Manifest manifest;
        try {
            manifest = ArchiveSource.readManifest(store, request.folder());
        } catch (RuntimeException e) {
            Futures.join(bucket);
            throw e;
        }
        Futures.join(bucket);
        if (request.jobs() > 1) {
            ArchiveSpool.requireAllowed(manifest);
        }
        CompletableFuture<ArchiveSource.Head> reading = CompletableFuture.supplyAsync(
                () -> ArchiveSource.readHead(store, manifest, request.identity()));
        ArchiveSource.requireArchive(store, manifest);
        String side = request.sideDatabase() != null ? request.sideDatabase()
                : DatabaseNames.side(target.database(), DatabaseNames.archiveTag(manifest.sha256()));
        String previous = request.previousDatabase() != null ? request.previousDatabase()
                : DatabaseNames.previous(target.database(), startedAt);
        if (request.strategy() == RestoreStrategy.SWAP && (side.equals(target.database())
                || previous.equals(target.database()) || side.equals(previous))) {
            throw new AgentFailure(Reason.InvalidArguments, "--dbname, --side-database and --previous-database "
                    + "must be three different names (got " + target.database() + ", " + side + ", " + previous + ")");
        }
        ArchiveSource.Head head = Futures.join(reading);
        ArchiveToc toc = head.toc();
        String backup = manifest.backup() != null ? manifest.backup() : request.folder().key();
        RestoreSelection.Resolved scope = request.scope().resolve(manifest, toc, request.strategy(), backup);
        return new Source(manifest, toc, head.length(), scope, expected(manifest, scope), new Swap(side, previous));
    }

    /**
     * What the restored database must show: the manifest's row counts of the restored tables (zero for a
     * schema-only restore, which leaves materialized views unpopulated), and the large objects when all of them
     * are restored (exactly them into a fresh database; at least them in place, where newer ones stay).
     */
    private RowVerification.Expected expected(Manifest manifest, RestoreSelection.Resolved scope) {
        RestoreSelection s = request.scope();
        if (request.verify() == VerifyMode.NONE) {
            return new RowVerification.Expected(List.of(), null, false);
        }
        List<TableRows> tables = s.schemaOnly()
                ? scope.expected().stream().filter(t -> !t.materializedView()).map(t -> t.withRows(0)).toList()
                : scope.expected();
        Long largeObjects = scope.wholeArchive() && !s.schemaOnly() && !s.dataOnly() ? manifest.largeObjects() : null;
        return new RowVerification.Expected(tables, largeObjects, request.strategy() != RestoreStrategy.IN_PLACE);
    }

    private void checkInPlace(Source source, RestoreResult.Builder result) {
        if (request.strategy() == RestoreStrategy.IN_PLACE) {
            new InPlaceChecks(source.toc(), request.target())
                    .run(source.scope(), !request.scope().dataOnly(), source.expected().largeObjects(), result);
        }
    }

    private static PgServerVersion serverVersion(DatabaseAdmin admin, PgTarget target) {
        try {
            return PgServerVersion.of(admin.connection());
        } catch (SQLException e) {
            throw new AgentFailure(Reason.DatabaseUnreachable, "cannot read the server version of "
                    + target.address() + ": " + ToolErrors.of(e), e);
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

    /** Preconditions of the check and restore steps; touches nothing. */
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

    private void requireComparable(DatabaseAdmin admin, Swap names) {
        PgTarget target = request.target();
        if (request.strategy() == RestoreStrategy.SWAP) {
            if (!admin.exists(names.side())) {
                throw new AgentFailure(Reason.DatabaseNotFound, "the side database \"" + names.side()
                        + "\" does not exist on " + target.address() + "; run the restore step first (with the "
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

    /** Restores; for inPlace returns the row counts compared inside its transaction (else null: compare counts). */
    private RowVerification restore(DatabaseAdmin admin, ObjectStore store, Source source, PgTool pgRestore,
                                    PgTool psql, PgServerVersion server) {
        PgTarget target = request.target();
        RestoreSelection scope = request.scope();
        Manifest manifest = source.manifest();
        Path listFile = listFile(source.scope());
        try {
            List<String> switches = new ArrayList<>();
            if (listFile != null) {
                switches.add("--use-list=" + listFile);
            }
            switches.addAll(scope.pgRestoreSwitches());
            if (request.strategy() == RestoreStrategy.IN_PLACE) {
                RowVerification counts = new InPlaceRestore(new ArchiveStreamer(store, manifest, target,
                        request.noOwner(), request.identity()), admin, target, request.noOwner())
                        .run(pgRestore, psql, switches, scope.truncateSql(source.scope()), !scope.dataOnly(),
                                request.lockTimeout().toMillis(), source.expected());
                StructuredLog.info("restore.restored", "database", target.database(), "strategy", "inPlace");
                return counts;
            }
            String into = request.strategy() == RestoreStrategy.SWAP ? source.names().side() : target.database();
            PgTarget db = target.withDatabase(into);
            // A parallel restore's archive is checked in full before the database is created.
            try (ArchiveSpool spool = request.jobs() > 1 ? ArchiveSpool.write(store, manifest, request.identity(),
                    Path.of(System.getProperty("java.io.tmpdir"))) : null) {
                if (request.strategy() == RestoreStrategy.SWAP) {
                    admin.createLike(into, admin.properties(target.database()));
                } else {
                    admin.create(into);
                }
                try {
                    prepareFreshDatabase(source, db);
                    ArchiveStreamer streamer = new ArchiveStreamer(store, manifest, db, request.noOwner(),
                            request.identity());
                    if (spool != null) {
                        streamer.fromFile(pgRestore, switches, spool.file(), request.jobs());
                    } else if (scope.schemaOnly() || scope.dataOnly()
                            || source.tocLength() > ArchiveStreamer.MAX_HEAD_BYTES) {
                        streamer.intoNewDatabase(pgRestore, switches);
                    } else {
                        // Indexes built beside the rows run without parallel workers, a setting PostgreSQL 11
                        // introduced; a selective restore's list decides what is restored, so nothing moves there.
                        streamer.intoNewDatabaseInSteps(pgRestore, switches, (int) source.tocLength(),
                                ArchiveStreamer.postDataJobs(), source.scope().wholeArchive() && server.major() >= 11);
                    }
                } catch (RuntimeException e) {
                    admin.dropQuietly(into, "the restore failed; no half-restored database is left behind");
                    throw e;
                }
            }
            StructuredLog.info("restore.restored", "database", into, "strategy", request.strategy());
            return null;
        } finally {
            ArchiveStreamer.deleteQuietly(listFile);
        }
    }

    /** pg_restore's {@code --use-list} file for a partial restore (null: the whole archive). */
    private static Path listFile(RestoreSelection.Resolved scope) {
        return scope.wholeArchive() ? null : ArchiveStreamer.listFile(scope.listFile());
    }

    /**
     * A database created from template0 has the {@code public} schema and nothing else. What is restored into it
     * may create {@code public} itself (a backup of that schema: it is dropped first, the database being empty),
     * or hold objects in schemas it does not create (a backup of some tables: those schemas are created first).
     */
    private void prepareFreshDatabase(Source source, PgTarget db) {
        List<ArchiveToc.Entry> restored = source.scope().wholeArchive() ? source.toc().entries()
                : source.toc().entries().stream().filter(e -> source.scope().entries().contains(e.dumpId())).toList();
        Set<String> created = new LinkedHashSet<>();
        Set<String> used = new LinkedHashSet<>();
        for (ArchiveToc.Entry e : restored) {
            if (e.is("SCHEMA")) {
                created.add(e.tag());
            } else if (!e.namespace().isEmpty() && !request.scope().dataOnly()) {
                used.add(e.namespace());
            }
        }
        List<String> sql = new ArrayList<>();
        if (created.contains("public")) {
            sql.add("DROP SCHEMA IF EXISTS public");
        }
        used.removeAll(created);
        used.remove("public");
        used.forEach(schema -> sql.add("CREATE SCHEMA IF NOT EXISTS " + PgConnections.quoteIdent(schema)));
        if (sql.isEmpty()) {
            return;
        }
        try (Connection c = PgConnections.open(db); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot prepare schemas in \"" + db.database() + "\": "
                    + ToolErrors.of(e), e);
        }
    }

    private void comparedBeforeCommit(RowVerification counts, RestoreResult.Builder result) {
        counts.into(result).verified(request.verify() != VerifyMode.NONE, true);
    }

    /** Row counts of a new or side database; then, for swap, the side database goes in place. */
    private void compare(DatabaseAdmin admin, Source source, RestoreResult.Builder result) {
        PgTarget target = request.target();
        Swap names = source.names();
        boolean swap = request.strategy() == RestoreStrategy.SWAP;
        String restoredInto = swap ? names.side() : target.database();
        if (request.verify() == VerifyMode.NONE) {
            result.counts(source.scope().expected().size(),
                    source.scope().expected().stream().mapToLong(TableRows::rows).sum(), null, null)
                    .verified(false, null);
        } else {
            RowVerification counts;
            try {
                counts = RowVerification.count(target.withDatabase(restoredInto), source.expected());
            } catch (AgentFailure e) {
                if (swap) {
                    admin.dropQuietly(names.side(), "its row counts could not be compared; the live database is untouched");
                } else if (request.step() == RestoreStep.ALL) {
                    admin.dropQuietly(target.database(), "its row counts could not be compared");
                }
                throw e;
            }
            counts.into(result).verified(true, null);
            if (!counts.mismatches().isEmpty()) {
                String what = counts.mismatches().size() + " table(s) have different row counts than the "
                        + "backup (first: " + RowVerification.describe(counts.mismatches().get(0)) + "); ";
                String outcome;
                if (swap) {
                    admin.dropQuietly(names.side(), "its row counts do not match the backup");
                    outcome = "the side database \"" + names.side() + "\" was dropped and the live database \""
                            + target.database() + "\" is untouched";
                } else {
                    outcome = "database \"" + target.database() + "\" was kept for inspection: drop it when done";
                }
                result.verified(false, null);
                throw new AgentFailure(Reason.VerificationFailed, what + outcome, null, result.build());
            }
        }
        if (swap) {
            try {
                admin.swap(target.database(), names.side(), names.previous());
            } catch (AgentFailure e) {
                throw new AgentFailure(e.reason(), e.getMessage() + "; the compared restore stays in \""
                        + names.side() + "\" (run the compare step again to put it in place, or drop it)", e);
            }
            result.database(target.database()).previousDatabase(names.previous());
        }
    }
}
