package io.backtrack.agent.backup;

import io.backtrack.agent.AgentVersion;
import io.backtrack.agent.concurrent.Futures;
import io.backtrack.agent.engine.postgres.DumpScope;
import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgServerVersion;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.PgTool;
import io.backtrack.agent.engine.postgres.PgToolLocator;
import io.backtrack.agent.engine.postgres.Relation;
import io.backtrack.agent.engine.postgres.SnapshotSession;
import io.backtrack.agent.engine.postgres.StreamRowCounter;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.CompressionSpec;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.ManifestCodec;
import io.backtrack.agent.manifest.ManifestRoles;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.manifest.UnverifiedObject;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.roles.DatabaseRole;
import io.backtrack.agent.roles.RoleCatalog;
import io.backtrack.agent.roles.RolesFile;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.ArchiveCompression;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One backup (DESIGN.md §2): bucket check → server version → matching pg_dump → exported snapshot →
 * {@code pg_dump --snapshot} streamed to S3 (compressed, and encrypted with age when recipients are given), its
 * tables' rows counted in the stream (the rest with SQL in the same snapshot) → manifest.json, written last. On any
 * failure no object is left under the archive key and no manifest is written.
 */
public final class BackupRunner {
    private final BackupRequest request;
    /** The snapshot session's connection, for the archive size estimate. */
    private java.sql.Connection snapshotConnection;

    public BackupRunner(BackupRequest request) {
        this.request = request;
    }

    public BackupResult run() {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PgTarget db = request.database();
        String archiveKey = request.folder().newArchiveKey(request.compression(), request.encrypted(), startedAt);
        StructuredLog.info("backup.started", "database", db.database(), "server", db.address(),
                "bucket", request.storage().bucket(), "key", request.folder().key(),
                "compression", request.compression().wireName(), "level", request.level(),
                "encryption", encryption(), "recipients", request.encrypted() ? request.recipients().keys().size() : 0);
        // Setting up the S3 client and checking the bucket and folder run beside opening the snapshot and the
        // dump's first bytes (all of it mostly class loading and waiting): the upload sends nothing before the check
        // has passed, and a storage failure is still the one reported, as if checked first.
        CompletableFuture<ObjectStore> opening = CompletableFuture.supplyAsync(() -> new ObjectStore(request.storage()));
        CompletableFuture<Void> storageChecked = opening.thenAccept(this::checkStorage);
        SnapshotSession opened;
        try {
            opened = openSnapshot(db);
        } catch (RuntimeException e) {
            throw storageFailureFirst(e, storageChecked, opening);
        }
        try (SnapshotSession session = opened; ObjectStore store = Futures.join(opening)) {
            PgServerVersion server;
            PgTool pgDump;
            DumpScope scope;
            long estimate;
            try {
                server = session.serverVersion();
                pgDump = new PgToolLocator(request.pgBinRoot()).require("pg_dump", server.major(),
                        "the agent image must carry client tools >= the server's major version");
                scope = resolveScope(session);
                estimate = ArchiveSizeEstimate.of(snapshotConnection, scope.countedTables(), request.scope(),
                        request.compression());
            } catch (RuntimeException e) {
                throw storageFailureFirst(e, storageChecked, null);
            }
            CompletableFuture<String> toolVersionOf = CompletableFuture.supplyAsync(
                    () -> PgToolLocator.versionOf(pgDump));
            StructuredLog.info("backup.snapshot", "serverVersion", server.text(), "tool", pgDump.path().toString(),
                    "snapshot", session.snapshotId(), "tables", scope.countedTables().size());
            List<Relation> counted = request.scope().schemaOnly() ? List.of() : scope.counted();
            StreamRowCounter streamRows = new StreamRowCounter(counted.stream()
                    .filter(r -> r.kind() == Relation.Kind.TABLE).map(Relation::ref).toList());
            StreamingDump dump;
            try {
                dump = StreamingDump.start(pgDumpCommand(pgDump, session.snapshotId(), scope), childEnv(db),
                        request.compression(), request.level(), request.recipients(), store, archiveKey, estimate,
                        streamRows, storageChecked);
            } catch (RuntimeException e) {
                throw storageFailureFirst(e, storageChecked, null);
            }
            // Jackson sets itself up for a type the first time it meets it, tens of milliseconds of CPU: done for the
            // manifest beside the dump instead of after it.
            CompletableFuture<Void> jsonReady = CompletableFuture.runAsync(() -> warmUpManifestJson(startedAt));
            try {
                Futures.join(storageChecked);
            } catch (RuntimeException e) {
                dump.abort("the storage check failed"); // nothing was sent: the upload waits for the check
                dump.awaitQuietly();
                throw e;
            }
            ArchiveStats archive;
            Map<TableRef, Long> sqlRows;
            Long largeObjects;
            List<DatabaseRole> neededRoles;
            try {
                // While the dump runs: what its stream does not hold as rows (a materialized view's data is a
                // REFRESH statement), and the large objects (a catalog count).
                sqlRows = countWithSql(session, counted.stream().filter(r -> r.kind() != Relation.Kind.TABLE)
                        .toList());
                largeObjects = scope.largeObjects() ? session.largeObjects() : null;
                neededRoles = RoleCatalog.needed(snapshotConnection, request.rolePasswords());
            } catch (RuntimeException e) {
                dump.abort("row counting or recording the roles failed");
                dump.awaitQuietly();
                removeAttempt(store, archiveKey);
                throw e;
            }
            try {
                archive = dump.await();
            } catch (RuntimeException e) {
                removeAttempt(store, archiveKey);
                throw e;
            }
            List<TableRows> counts;
            try {
                counts = rowCounts(session, scope.counted(), streamRows, sqlRows);
            } catch (RuntimeException e) {
                removeAttempt(store, archiveKey);
                throw e;
            }
            String toolVersion;
            ManifestRoles roles;
            try {
                toolVersion = Futures.join(toolVersionOf);
                // Written once the archive is complete, so a run killed mid-dump leaves no object in the folder.
                roles = RolesFile.write(store, request.folder().rolesKeyOf(archiveKey), neededRoles,
                        request.rolePasswords(), request.recipients());
            } catch (RuntimeException e) {
                removeAttempt(store, archiveKey);
                throw e;
            }
            long rows = counts.stream().mapToLong(TableRows::rows).sum();
            Instant completedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Manifest manifest = manifest(server.text(), toolVersion, archiveKey, archive, counts, largeObjects,
                    scope.uncounted().stream().map(Relation::unverified).toList(), roles, startedAt, completedAt);
            Futures.join(jsonReady);
            // Removes this run's archive itself when another run's manifest is the folder's.
            new ManifestPublisher(store, request.folder()).publish(manifest);
            double seconds = Duration.between(startedAt, completedAt).toMillis() / 1000.0;
            StructuredLog.info("backup.completed", "key", request.folder().key(), "sizeBytes", archive.sizeBytes(),
                    "sha256", archive.sha256(), "tables", counts.size(), "rows", rows, "seconds", seconds);
            return new BackupResult(request.folder().key(), request.folder().manifestKey(), archiveKey,
                    request.storage().bucket(), archive.sha256(), archive.sizeBytes(),
                    request.compression().wireName(), request.level(), manifest.format(), db.database(), server.text(),
                    toolVersion, counts.size(), rows, largeObjects,
                    manifest.unverified().isEmpty() ? null : manifest.unverified().size(), roles.roles().size(),
                    startedAt.toString(),
                    completedAt.toString(), seconds, encryption(), recipientKeys());
        }
    }

    /** {@code age} for an encrypted backup, else null (as the manifest and the result record it). */
    private String encryption() {
        return request.encrypted() ? ArchiveCompression.ENCRYPTION_AGE : null;
    }

    private List<String> recipientKeys() {
        return request.encrypted() ? request.recipients().keys() : null;
    }

    /**
     * {@code failure} of the database side, unless the storage check running beside it failed too: that one is
     * reported, as when storage was checked first. Closes the store once the check is over if {@code opening} is
     * given (closing stops its HTTP client).
     */
    private static RuntimeException storageFailureFirst(RuntimeException failure, CompletableFuture<Void> storageChecked,
                                                        CompletableFuture<ObjectStore> opening) {
        try {
            Futures.join(storageChecked);
        } catch (RuntimeException storage) {
            return storage;
        } finally {
            if (opening != null) {
                opening.thenAccept(ObjectStore::close);
            }
        }
        return failure;
    }

    private void checkStorage(ObjectStore store) {
        store.requireBucket();
        if (store.sizeOf(request.folder().manifestKey()).isPresent()) {
            throw new AgentFailure(Reason.InvalidArguments, "folder " + request.folder().key() + " in bucket "
                    + request.storage().bucket() + " already holds a completed backup (manifest.json); "
                    + "choose another --key or delete that backup first");
        }
        // An incomplete upload in a folder without a manifest is left by an attempt that was killed (OOM, node
        // loss): nothing can complete it any more, and storage bills its parts until it is aborted. (Were another
        // backup still writing here, it fails now instead of later at the manifest: one folder, one backup.)
        int aborted = store.abortIncompleteUploadsOrFail(request.folder().prefix());
        if (aborted > 0) {
            StructuredLog.info("backup.stale-uploads-aborted", "key", request.folder().key(), "aborted", aborted);
        }
    }

    private SnapshotSession openSnapshot(PgTarget db) {
        var connection = PgConnections.open(db);
        snapshotConnection = connection;
        try {
            return SnapshotSession.begin(connection);
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing
            }
            throw new AgentFailure(Reason.DumpFailed, "cannot open a snapshot on " + db.address() + "/"
                    + db.database() + ": " + e.getMessage(), e);
        }
    }

    private DumpScope resolveScope(SnapshotSession session) {
        try {
            List<Relation> relations = session.userRelations();
            return DumpScope.resolve(request.scope(), relations, session.schemas(), request.database().database());
        } catch (SQLException e) {
            throw new AgentFailure(Reason.DumpFailed, "cannot read the table list of " + request.database().database()
                    + ": " + e.getMessage(), e);
        }
    }

    private Manifest manifest(String serverVersion, String toolVersion, String archiveKey, ArchiveStats archive,
                              List<TableRows> counts, Long largeObjects, List<UnverifiedObject> unverified,
                              ManifestRoles roles, Instant startedAt, Instant completedAt) {
        return new Manifest(Manifest.FORMAT_VERSION, AgentVersion.current(), "postgresql", serverVersion, toolVersion,
                request.database().database(), request.namespace(), request.backupName(), request.schedule(),
                request.description(), request.scope(), archiveKey, "custom",
                new CompressionSpec(request.compression().wireName(), request.level()), archive.sizeBytes(),
                archive.sha256(), counts, counts.stream().mapToLong(TableRows::rows).sum(), largeObjects, unverified,
                roles, startedAt, completedAt, encryption(), recipientKeys());
    }

    /** Writes and reads a manifest of the same shape as the one this backup will write. */
    private void warmUpManifestJson(Instant startedAt) {
        Manifest sample = manifest("", "", "", new ArchiveStats("", 0),
                List.of(new TableRows("", "", 0, TableRows.MATERIALIZED_VIEW)), 0L,
                List.of(new UnverifiedObject("", "", UnverifiedObject.FOREIGN_TABLE, "")),
                new ManifestRoles("", "", 0, false, List.of(new ManifestRoles.Use("", true, true))), startedAt,
                startedAt);
        try {
            ManifestCodec.fromBytes(ManifestCodec.toBytes(sample));
        } catch (IOException | RuntimeException e) {
            // only a head start: the manifest itself is written and read the same way later
        }
    }

    /**
     * The manifest's counts, in scope order: a table's from the dump's stream, anything else's (a materialized view,
     * or a table the stream could not count) with {@code SELECT count(*) FROM ONLY} in the same snapshot, which the
     * session still holds. Schema-only archives hold no rows, so the manifest records 0 for every table (what a
     * restore will find).
     */
    private List<TableRows> rowCounts(SnapshotSession session, List<Relation> relations, StreamRowCounter stream,
                                      Map<TableRef, Long> sqlRows) {
        if (request.scope().schemaOnly()) {
            return relations.stream().map(r -> r.counted(0)).toList();
        }
        Map<TableRef, Long> streamed = stream.counts();
        List<Relation> missing = relations.stream().filter(r -> !streamed.containsKey(r.ref())
                && !sqlRows.containsKey(r.ref())).toList();
        Map<TableRef, Long> all = new HashMap<>(countWithSql(session, missing));
        if (!missing.isEmpty()) {
            StructuredLog.warn("backup.rows-counted-with-sql", "tables", missing.size(), "reason",
                    stream.unreadable() != null ? stream.unreadable() : "their rows were not in the dump's stream");
        }
        all.putAll(sqlRows);
        all.putAll(streamed);
        List<TableRows> rows = relations.stream().map(r -> r.counted(all.get(r.ref()))).toList();
        StructuredLog.info("backup.counted", "fromStream", relations.size() - sqlRows.size() - missing.size(),
                "withSql", sqlRows.size() + missing.size());
        return rows;
    }

    private static Map<TableRef, Long> countWithSql(SnapshotSession session, List<Relation> relations) {
        Map<TableRef, Long> rows = new HashMap<>();
        session.countRows(relations).forEach(t -> rows.put(new TableRef(t.schema(), t.name()), t.rows()));
        return rows;
    }

    List<String> pgDumpCommand(PgTool pgDump, String snapshotId, DumpScope scope) {
        return pgDumpCommand(pgDump, snapshotId, scope, request.database());
    }

    /** Arguments as a list (never a shell string); the password travels in the environment only. */
    static List<String> pgDumpCommand(PgTool pgDump, String snapshotId, DumpScope scope, PgTarget db) {
        List<String> command = new ArrayList<>(List.of(pgDump.path().toString(), "--snapshot=" + snapshotId,
                "--format=custom", "--compress=0", "--no-password", db.toolDbnameArgument()));
        command.addAll(scope.pgDumpSwitches());
        return command;
    }

    static Map<String, String> childEnv(PgTarget db) {
        Map<String, String> env = new HashMap<>();
        if (db.password() != null) {
            env.put("PGPASSWORD", db.password());
        }
        env.put("PGCONNECT_TIMEOUT", "15");
        env.put("PGAPPNAME", "backtrack-agent");
        return env;
    }

    /**
     * Removes what this attempt wrote: aborts its multipart uploads and removes its archive and its roles file. One
     * short attempt each: the store may be why the backup failed, and a stalled one must not hold up the report.
     */
    private void removeAttempt(ObjectStore store, String archiveKey) {
        ObjectStore cleanup = store.forCleanup();
        int aborted = cleanup.abortIncompleteUploads(archiveKey);
        cleanup.removeQuietly(archiveKey);
        cleanup.removeQuietly(request.folder().rolesKeyOf(archiveKey));
        StructuredLog.info("backup.cleaned-up", "archiveKey", archiveKey, "abortedUploads", aborted);
    }
}
