package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgServerVersion;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.PgTool;
import io.backtrack.agent.engine.postgres.PgToolLocator;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.stream.BoundedTail;
import io.backtrack.agent.stream.DigestingInputStream;
import io.backtrack.agent.stream.HoldBackInputStream;
import io.backtrack.agent.stream.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * Restore into a new database: manifest → archive checks → CREATE DATABASE → S3 stream → SHA-256 → decompress →
 * {@code pg_restore} stdin → row counts against the manifest. The archive's tail is held back until its SHA-256
 * matched, and a database this run created is dropped on any failure except a row-count mismatch (then the
 * restored data is kept for inspection).
 */
public final class RestoreRunner {
    private static final int HOLD_BACK_BYTES = 1024 * 1024;

    private final RestoreRequest request;

    public RestoreRunner(RestoreRequest request) {
        this.request = request;
    }

    public Map<String, Object> run() {
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PgTarget target = request.target();
        BackupFolder folder = request.folder();
        StructuredLog.info("restore.started", "bucket", request.storage().bucket(), "key", folder.key(),
                "server", target.address(), "database", target.database());
        try (ObjectStore store = new ObjectStore(request.storage())) {
            store.requireBucket();
            Manifest manifest = ArchiveSource.readManifest(store, folder);
            ArchiveSource.requireArchive(store, manifest);

            PgServerVersion server;
            try (Connection admin = openMaintenance(target)) {
                server = PgServerVersion.of(admin);
                int archiveMajor = PgToolLocator.majorOf(manifest.toolVersion()).orElse(0);
                PgTool pgRestore = new PgToolLocator(request.pgBinRoot()).require("pg_restore",
                        Math.max(server.major(), archiveMajor), "the agent image must carry client tools >= the "
                                + "server's and the archive's major version (archive made by " + manifest.toolVersion() + ")");
                String toolVersion = PgToolLocator.versionOf(pgRestore);
                createDatabase(admin, target);
                try {
                    prepareForPartialArchive(manifest, target);
                    restoreArchive(store, manifest, pgRestore);
                    Verification verification = verify(manifest, target);
                    Instant completedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    double seconds = Duration.between(startedAt, completedAt).toMillis() / 1000.0;
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("key", folder.key());
                    result.put("archiveKey", manifest.archiveKey());
                    result.put("bucket", request.storage().bucket());
                    result.put("database", target.database());
                    result.put("sourceDatabase", manifest.database());
                    result.put("sha256", manifest.sha256());
                    result.put("sizeBytes", manifest.sizeBytes());
                    result.put("archiveVerified", true);
                    result.put("serverVersion", server.text());
                    result.put("toolVersion", toolVersion);
                    result.putAll(verification.fields());
                    result.put("startedAt", startedAt.toString());
                    result.put("completedAt", completedAt.toString());
                    result.put("durationSeconds", seconds);
                    if (!verification.mismatches().isEmpty()) {
                        throw new AgentFailure(Reason.VerificationFailed, verification.mismatches().size()
                                + " table(s) have different row counts than the backup (first: "
                                + describe(verification.mismatches().get(0)) + "); database \"" + target.database()
                                + "\" was kept for inspection: drop it when done", null, result);
                    }
                    StructuredLog.info("restore.completed", "database", target.database(), "tables",
                            verification.tables(), "rows", verification.rowsRestored(), "seconds", seconds);
                    return result;
                } catch (AgentFailure e) {
                    if (e.reason() != Reason.VerificationFailed) {
                        dropDatabase(admin, target);
                    }
                    throw e;
                } catch (RuntimeException e) {
                    dropDatabase(admin, target);
                    throw e;
                }
            } catch (SQLException e) {
                throw new AgentFailure(Reason.RestoreFailed, "restore on " + target.address() + " failed: "
                        + e.getMessage(), e);
            }
        }
    }

    /** Connects to the {@code postgres} maintenance database (or {@code template1} where it was dropped). */
    private static Connection openMaintenance(PgTarget target) {
        try {
            return PgConnections.open(target.withDatabase("postgres"));
        } catch (AgentFailure e) {
            if (e.reason() == Reason.DatabaseNotFound) {
                return PgConnections.open(target.withDatabase("template1"));
            }
            throw e;
        }
    }

    private static void createDatabase(Connection admin, PgTarget target) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?")) {
            ps.setString(1, target.database());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new AgentFailure(Reason.DatabaseExists, "database \"" + target.database()
                            + "\" already exists on " + target.address()
                            + "; restore into a new database name, or drop or rename the existing one first");
                }
            }
        }
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + PgConnections.quoteIdent(target.database()));
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                throw new AgentFailure(Reason.DatabaseExists, "database \"" + target.database()
                        + "\" already exists on " + target.address(), e);
            }
            if ("42501".equals(e.getSQLState())) {
                throw new AgentFailure(Reason.RestoreFailed, "user \"" + target.username()
                        + "\" may not create databases on " + target.address() + " (needs CREATEDB): " + e.getMessage(), e);
            }
            throw new AgentFailure(Reason.RestoreFailed, "cannot create database \"" + target.database() + "\" on "
                    + target.address() + ": " + e.getMessage(), e);
        }
        StructuredLog.info("restore.database-created", "database", target.database());
    }

    /**
     * Partial archives do not fit an empty database as is: a {@code --table} dump holds no CREATE SCHEMA (pg_dump
     * dumps only the tables), and a {@code --schema public} dump creates {@code public}, which every new database
     * already has. This database was created by this run and is empty, so adjusting its schemas is safe.
     */
    private static void prepareForPartialArchive(Manifest manifest, PgTarget target) {
        var scope = manifest.scope();
        if (scope == null || (scope.tables().isEmpty() && !scope.schemas().contains("public"))) {
            return;
        }
        try (Connection c = PgConnections.open(target); Statement st = c.createStatement()) {
            if (!scope.tables().isEmpty()) {
                for (String schema : manifest.tables().stream().map(TableRows::schema).distinct().toList()) {
                    st.execute("CREATE SCHEMA IF NOT EXISTS " + PgConnections.quoteIdent(schema));
                }
            } else {
                st.execute("DROP SCHEMA IF EXISTS public");
            }
        } catch (SQLException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot prepare schemas in \"" + target.database() + "\": "
                    + e.getMessage(), e);
        }
    }

    private static void dropDatabase(Connection admin, PgTarget target) {
        try (Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + PgConnections.quoteIdent(target.database()) + " WITH (FORCE)");
            StructuredLog.info("restore.database-dropped", "database", target.database(),
                    "why", "the restore failed; no half-restored database is left behind");
        } catch (SQLException e) {
            StructuredLog.error("restore.drop-failed", "database", target.database(), "error", e.getMessage());
        }
    }

    private void restoreArchive(ObjectStore store, Manifest manifest, PgTool pgRestore) {
        PgTarget target = request.target();
        List<String> command = new ArrayList<>(List.of(pgRestore.path().toString(), "--exit-on-error",
                "--no-password", "--host=" + target.host(), "--port=" + target.port(),
                "--username=" + target.username(), "--dbname=" + target.database()));
        if (request.noOwner()) {
            command.add("--no-owner");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (target.password() != null) {
            pb.environment().put("PGPASSWORD", target.password());
        }
        pb.environment().put("PGAPPNAME", "backtrack-agent");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AgentFailure(Reason.ToolMissing, "cannot start " + pgRestore.path() + ": " + e.getMessage(), e);
        }
        BoundedTail stderr = BoundedTail.collect(process.getErrorStream(), 16 * 1024, "pg_restore-stderr");
        Sha256 sha256 = new Sha256();
        DigestingInputStream stored = new DigestingInputStream(store.open(manifest.archiveKey()), sha256);
        HoldBackInputStream held = new HoldBackInputStream(stored, HOLD_BACK_BYTES, () -> {
            // The digest is final here: the source just ended.
            String actual = sha256.hex();
            if (!actual.equals(manifest.sha256()) || sha256.bytes() != manifest.sizeBytes()) {
                throw new ArchiveCorruptException(ArchiveSource.hashMismatch(manifest, actual, sha256.bytes())
                        .getMessage());
            }
        });
        OutputStream stdin = process.getOutputStream();
        IOException streamError = null;
        try (InputStream plain = BackupFolder.compressionOf(manifest.archiveKey()).decompress(held)) {
            plain.transferTo(stdin);
        } catch (IOException e) {
            streamError = e;
            // Kill before closing stdin: pg_restore must never see a clean end of a refused archive.
            process.destroyForcibly();
        }
        closeQuietly(stdin);
        int exit = waitFor(process);
        if (streamError instanceof ArchiveCorruptException) {
            throw new AgentFailure(Reason.ArchiveCorrupt, streamError.getMessage() + "; the restore was stopped "
                    + "before the end of the archive", streamError);
        }
        if (streamError != null || exit != 0) {
            // Tell corruption from other errors: finish the digest over the rest of the object.
            String corrupt = corruptionOf(stored, sha256, manifest, held);
            closeQuietly(held);
            if (corrupt != null) {
                throw new AgentFailure(Reason.ArchiveCorrupt, corrupt, streamError);
            }
            String err = stderr.text();
            if (exit == 0 && streamError != null) {
                throw new AgentFailure(Reason.RestoreFailed, "reading the archive failed: " + streamError.getMessage(),
                        streamError);
            }
            throw new AgentFailure(Reason.RestoreFailed, "pg_restore failed (exit status " + exit + "): "
                    + tail(err.isEmpty() && streamError != null ? streamError.getMessage() : err), streamError);
        }
        closeQuietly(held);
        String warnings = stderr.text();
        if (!warnings.isEmpty()) {
            StructuredLog.warn("pg_restore.stderr", "text", tail(warnings));
        }
    }

    /** Null if the archive's bytes match the manifest, else the ArchiveCorrupt message. */
    private static String corruptionOf(DigestingInputStream stored, Sha256 sha256, Manifest manifest,
                                       HoldBackInputStream held) {
        try {
            stored.drain();
        } catch (IOException e) {
            return null; // cannot tell; report the original failure
        }
        String actual = sha256.hex();
        if (actual.equals(manifest.sha256()) && sha256.bytes() == manifest.sizeBytes()) {
            return null;
        }
        return ArchiveSource.hashMismatch(manifest, actual, sha256.bytes()).getMessage();
    }

    private record Verification(int tables, long rowsExpected, long rowsRestored, List<TableMismatch> mismatches) {
        Map<String, Object> fields() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("tables", tables);
            f.put("rowsExpected", rowsExpected);
            f.put("rowsRestored", rowsRestored);
            f.put("mismatches", mismatches);
            return f;
        }
    }

    private static Verification verify(Manifest manifest, PgTarget target) {
        List<TableMismatch> mismatches = new ArrayList<>();
        long expected = 0;
        long restored = 0;
        try (Connection c = PgConnections.open(target)) {
            for (TableRows t : manifest.tables()) {
                expected += t.rows();
                Long actual = countIfPresent(c, new TableRef(t.schema(), t.name()));
                if (actual != null) {
                    restored += actual;
                }
                if (actual == null || actual != t.rows()) {
                    mismatches.add(new TableMismatch(t.schema(), t.name(), t.rows(), actual));
                }
            }
        } catch (SQLException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot count restored rows: " + e.getMessage(), e);
        }
        return new Verification(manifest.tables().size(), expected, restored, mismatches);
    }

    private static Long countIfPresent(Connection c, TableRef table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.quoted())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String describe(TableMismatch m) {
        return m.schema() + "." + m.name() + ": expected " + m.expected() + ", found "
                + (m.actual() == null ? "no table" : m.actual());
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // broken pipe to a dead pg_restore, or a finished download
        }
    }

    private static String tail(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() <= 1200 ? t : "…" + t.substring(t.length() - 1200);
    }
}
