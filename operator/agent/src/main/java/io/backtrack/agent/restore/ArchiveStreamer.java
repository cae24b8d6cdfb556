package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.PgTool;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.stream.BoundedTail;
import io.backtrack.agent.stream.DigestingInputStream;
import io.backtrack.agent.stream.HoldBackInputStream;
import io.backtrack.agent.stream.Sha256;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a stored archive from S3 (no temporary file) through SHA-256, hold-back and decompression into
 * pg_restore. The last {@link #HOLD_BACK_BYTES} stored bytes reach pg_restore only once the digest matched the
 * manifest; when pg_restore needs less than the whole archive (a selective restore) the rest is still read and
 * hashed before the restore counts as done.
 *
 * <p>Two ways in:
 * <ul>
 *   <li>{@link #intoNewDatabase}: {@code pg_restore --dbname} into a database this run created (dropped by the
 *       caller on any failure).
 *   <li>{@link #inPlace}: {@code pg_restore --clean --if-exists --file=-} piped through the agent into
 *       {@code psql} inside one explicit transaction. The agent sends {@code COMMIT} only after pg_restore has
 *       ended and the whole archive's SHA-256 matched; on a mismatch, any error, or the agent dying, psql
 *       ends without it and PostgreSQL rolls everything back, so the target is left exactly as it was. (pg_restore's
 *       own {@code --single-transaction} commits as soon as it has what it selected, which for a selective
 *       restore can be before the end of the archive was checked.)
 * </ul>
 */
final class ArchiveStreamer {
    static final int HOLD_BACK_BYTES = 1024 * 1024;

    private final ObjectStore store;
    private final Manifest manifest;
    private final PgTarget db;
    private final boolean noOwner;

    ArchiveStreamer(ObjectStore store, Manifest manifest, PgTarget db, boolean noOwner) {
        this.store = store;
        this.manifest = manifest;
        this.db = db;
        this.noOwner = noOwner;
    }

    void intoNewDatabase(PgTool pgRestore, List<String> switches) {
        List<String> command = new ArrayList<>(List.of(pgRestore.path().toString(), "--exit-on-error",
                "--no-password", "--host=" + db.host(), "--port=" + db.port(), "--username=" + db.username(),
                "--dbname=" + db.database()));
        if (noOwner) {
            command.add("--no-owner");
        }
        command.addAll(switches);
        Process restore = start(command, pgRestore, ProcessBuilder.Redirect.DISCARD);
        BoundedTail stderr = BoundedTail.collect(restore.getErrorStream(), 16 * 1024, "pg_restore-stderr");
        Feed feed = feed(restore);
        int exit = waitFor(restore);
        if (feed.corruption != null) {
            throw corrupt(feed.corruption, feed.readError);
        }
        if (feed.readError != null) {
            throw new AgentFailure(Reason.RestoreFailed, "reading the archive failed: " + feed.readError.getMessage(),
                    feed.readError);
        }
        if (exit != 0) {
            throw new AgentFailure(Reason.RestoreFailed, "pg_restore failed (exit status " + exit + "): "
                    + tail(stderr.text()));
        }
        warnings(stderr);
    }

    /** {@code clean}: drop each object before re-creating it (not for a data-only restore). */
    void inPlace(PgTool pgRestore, PgTool psql, List<String> switches, List<String> prelude, boolean clean) {
        List<String> psqlCommand = List.of(psql.path().toString(), "--no-psqlrc", "--quiet", "--no-password",
                "--set=ON_ERROR_STOP=1", "--host=" + db.host(), "--port=" + db.port(), "--username=" + db.username(),
                "--dbname=" + db.database());
        Process sql = start(psqlCommand, psql, ProcessBuilder.Redirect.DISCARD);
        BoundedTail sqlErr = BoundedTail.collect(sql.getErrorStream(), 16 * 1024, "psql-stderr");
        List<String> command = new ArrayList<>(List.of(pgRestore.path().toString(), "--file=-"));
        if (clean) {
            command.add("--clean");
            command.add("--if-exists");
        }
        if (noOwner) {
            command.add("--no-owner");
        }
        command.addAll(switches);
        Process restore;
        try {
            restore = start(command, pgRestore, ProcessBuilder.Redirect.PIPE);
        } catch (AgentFailure e) {
            sql.destroyForcibly();
            throw e;
        }
        BoundedTail stderr = BoundedTail.collect(restore.getErrorStream(), 16 * 1024, "pg_restore-stderr");
        OutputStream sqlIn = sql.getOutputStream();
        IOException[] relayError = new IOException[1];
        Thread relay = new Thread(() -> {
            try (InputStream script = restore.getInputStream()) {
                StringBuilder begin = new StringBuilder("BEGIN;\n");
                prelude.forEach(s -> begin.append(s).append(";\n"));
                sqlIn.write(begin.toString().getBytes(StandardCharsets.UTF_8));
                script.transferTo(sqlIn);
                sqlIn.flush();
            } catch (IOException e) {
                relayError[0] = e;
                // psql is gone (a failed statement): stop pg_restore so the archive feed ends too.
                restore.destroyForcibly();
            }
        }, "pg_restore-to-psql");
        relay.setDaemon(true);
        relay.start();

        boolean committed = false;
        try {
            Feed feed = feed(restore);
            int exit = waitFor(restore);
            join(relay);
            if (feed.corruption != null) {
                throw corrupt(feed.corruption, feed.readError);
            }
            if (relayError[0] != null || !sql.isAlive()) {
                closeQuietly(sqlIn);
                int sqlExit = waitFor(sql);
                throw new AgentFailure(Reason.RestoreFailed, "restoring into \"" + db.database() + "\" failed and "
                        + "was rolled back; the database is unchanged (psql exit status " + sqlExit + "): "
                        + tail(sqlErr.text()));
            }
            if (feed.readError != null) {
                throw new AgentFailure(Reason.RestoreFailed, "reading the archive failed: "
                        + feed.readError.getMessage() + "; the restore was rolled back, the database is unchanged",
                        feed.readError);
            }
            if (exit != 0) {
                throw new AgentFailure(Reason.RestoreFailed, "pg_restore failed (exit status " + exit + "): "
                        + tail(stderr.text()) + "; the restore was rolled back, the database is unchanged");
            }
            // pg_restore ended and the whole archive matched its manifest: only now may the transaction commit.
            try {
                sqlIn.write("COMMIT;\n".getBytes(StandardCharsets.UTF_8));
                sqlIn.close();
            } catch (IOException e) {
                // psql died just now; its exit status tells.
            }
            int sqlExit = waitFor(sql);
            if (sqlExit != 0) {
                throw new AgentFailure(Reason.RestoreFailed, "restoring into \"" + db.database() + "\" failed and "
                        + "was rolled back; the database is unchanged (psql exit status " + sqlExit + "): "
                        + tail(sqlErr.text()));
            }
            committed = true;
            warnings(stderr);
            String sqlWarnings = sqlErr.text();
            if (!sqlWarnings.isEmpty()) {
                StructuredLog.warn("psql.stderr", "text", tail(sqlWarnings));
            }
        } finally {
            if (!committed) {
                // Without COMMIT the server rolls the open transaction back when psql's connection ends.
                sql.destroyForcibly();
                restore.destroyForcibly();
                waitFor(sql);
            }
        }
    }

    /** The outcome of feeding the archive to pg_restore's stdin. */
    private static final class Feed {
        IOException readError;
        String corruption;
    }

    /**
     * Copies the archive into the process's stdin. A read failure (corruption, storage) kills the process before
     * its stdin is closed: it must never see a clean end of a refused archive. When the process stops reading
     * early, or after a read failure, the rest of the stored object is read so its SHA-256 tells corruption apart.
     */
    private Feed feed(Process process) {
        Feed feed = new Feed();
        Sha256 sha256 = new Sha256();
        DigestingInputStream stored = new DigestingInputStream(store.open(manifest.archiveKey()), sha256);
        HoldBackInputStream held = new HoldBackInputStream(stored, HOLD_BACK_BYTES, () -> {
            String actual = sha256.hex();
            if (!actual.equals(manifest.sha256()) || sha256.bytes() != manifest.sizeBytes()) {
                throw new ArchiveCorruptException(ArchiveSource.hashMismatch(manifest, actual, sha256.bytes())
                        .getMessage());
            }
        });
        OutputStream stdin = process.getOutputStream();
        try {
            InputStream plain = BackupFolder.compressionOf(manifest.archiveKey()).decompress(held);
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = plain.read(buf);
                } catch (IOException e) {
                    feed.readError = e;
                    break;
                }
                if (n < 0) {
                    break;
                }
                try {
                    stdin.write(buf, 0, n);
                } catch (IOException e) {
                    break; // the process stopped reading: it ended (selective restore) or failed
                }
            }
        } catch (IOException e) {
            feed.readError = e;
        }
        if (feed.readError != null) {
            process.destroyForcibly();
        }
        closeQuietly(stdin);
        if (feed.readError instanceof ArchiveCorruptException) {
            feed.corruption = feed.readError.getMessage();
        } else {
            feed.corruption = remainingCorruption(stored, sha256);
        }
        closeQuietly(held);
        return feed;
    }

    /** Reads what pg_restore did not need, then compares the digest; null if the archive matches. */
    private String remainingCorruption(DigestingInputStream stored, Sha256 sha256) {
        try {
            stored.drain();
        } catch (IOException e) {
            return "archive " + manifest.archiveKey() + " could not be read to its end to check its SHA-256: "
                    + e.getMessage();
        } catch (IllegalStateException alreadyComputed) {
            // the digest was final already (the hold-back check ran and accepted it)
        }
        String actual = sha256.hex();
        if (actual.equals(manifest.sha256()) && sha256.bytes() == manifest.sizeBytes()) {
            return null;
        }
        return ArchiveSource.hashMismatch(manifest, actual, sha256.bytes()).getMessage();
    }

    private static AgentFailure corrupt(String message, Throwable cause) {
        return new AgentFailure(Reason.ArchiveCorrupt, message + "; the restore was stopped before anything of it "
                + "was committed", cause);
    }

    private Process start(List<String> command, PgTool tool, ProcessBuilder.Redirect stdout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout);
        if (db.password() != null) {
            pb.environment().put("PGPASSWORD", db.password());
        }
        pb.environment().put("PGAPPNAME", "backtrack-agent");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AgentFailure(Reason.ToolMissing, "cannot start " + tool.path() + ": " + e.getMessage(), e);
        }
    }

    private static void warnings(BoundedTail stderr) {
        String text = stderr.text();
        if (!text.isEmpty()) {
            StructuredLog.warn("pg_restore.stderr", "text", tail(text));
        }
    }

    static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // broken pipe to a dead process, or a finished download
        }
    }

    static String tail(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() <= 1200 ? t : "…" + t.substring(t.length() - 1200);
    }
}
