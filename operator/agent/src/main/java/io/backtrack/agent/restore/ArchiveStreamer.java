package io.backtrack.agent.restore;

import io.backtrack.agent.archive.ArchiveSource;
import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.PgTool;
import io.backtrack.agent.engine.postgres.ToolErrors;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StorageErrors;
import io.backtrack.agent.stream.ArchiveCorruptException;
import io.backtrack.agent.stream.BoundedTail;
import io.backtrack.agent.stream.DigestingInputStream;
import io.backtrack.agent.stream.HoldBackInputStream;
import io.backtrack.agent.stream.Sha256;
import io.backtrack.contract.result.Reason;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a stored archive from S3 (no temporary file) through SHA-256, hold-back, decryption (an encrypted archive)
 * and decompression into pg_restore. The last {@link #HOLD_BACK_BYTES} stored bytes reach pg_restore only once the digest matched the
 * manifest; when pg_restore needs less than the whole archive (a selective restore) the rest is still read and
 * hashed before the restore counts as done.
 *
 * <p>{@link #intoNewDatabase} runs {@code pg_restore --dbname} into a database this run created (dropped by the
 * caller on any failure); {@link InPlaceRestore} uses {@link #feed} for the in-place restore through psql.
 */
final class ArchiveStreamer {
    static final int HOLD_BACK_BYTES = 1024 * 1024;

    private final ObjectStore store;
    private final Manifest manifest;
    private final PgTarget db;
    private final boolean noOwner;
    private final AgeIdentity identity;

    ArchiveStreamer(ObjectStore store, Manifest manifest, PgTarget db, boolean noOwner, AgeIdentity identity) {
        this.store = store;
        this.manifest = manifest;
        this.db = db;
        this.noOwner = noOwner;
        this.identity = identity;
    }

    void intoNewDatabase(PgTool pgRestore, List<String> switches) {
        streamInto(pgRestore, switches, null);
    }

    /** The largest table of contents {@link #intoNewDatabaseInSteps} keeps in memory to restore the post-data from. */
    static final int MAX_HEAD_BYTES = 16 * 1024 * 1024;

    /**
     * pg_restore in two steps: the schema and the rows from the stream ({@code --section=pre-data --section=data}),
     * then, once the archive has matched its SHA-256, what pg_restore builds after the rows (indexes, constraints,
     * triggers: {@code --section=post-data}) with {@code jobs} parallel jobs, from a file holding the archive's
     * header and table of contents: the first {@code headLength} bytes of the stream just verified (post-data
     * entries carry no data, and pg_restore's parallel mode needs a file it can reopen, not a stream). A local
     * {@code pg_restore} of a whole archive file builds its indexes one at a time.
     */
    void intoNewDatabaseInSteps(PgTool pgRestore, List<String> switches, int headLength, int jobs) {
        byte[] head = new byte[headLength];
        List<String> data = new ArrayList<>(switches);
        data.addAll(List.of("--section=pre-data", "--section=data"));
        streamInto(pgRestore, data, head);
        StructuredLog.info("restore.data-restored", "database", db.database());
        Path file;
        try {
            file = Files.createTempFile("backtrack-toc-", ".pgdump");
        } catch (IOException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot write the archive's table of contents under "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
        try {
            try {
                Files.write(file, head);
            } catch (IOException e) {
                throw new AgentFailure(Reason.RestoreFailed, "cannot write the archive's table of contents to " + file
                        + ": " + e.getMessage(), e);
            }
            List<String> postData = new ArrayList<>(switches);
            postData.add("--section=post-data");
            fromFile(pgRestore, postData, file, jobs);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file in the Job's emptyDir
            }
        }
    }

    /**
     * pg_restore of a local archive file with {@code jobs} parallel jobs: a header and table of contents only (the
     * post-data step above), or a whole archive already checked against its manifest ({@link ArchiveSpool}), whose
     * tables then load side by side, each one's indexes built as soon as its rows are in.
     */
    void fromFile(PgTool pgRestore, List<String> switches, Path file, int jobs) {
        List<String> args = new ArrayList<>(switches);
        args.addAll(List.of("--jobs=" + jobs, file.toString()));
        Process restore = start(command(pgRestore, args), pgRestore, ProcessBuilder.Redirect.DISCARD, db);
        closeQuietly(restore.getOutputStream()); // it reads the file, never stdin
        BoundedTail stderr = BoundedTail.collect(restore.getErrorStream(), 16 * 1024, "pg_restore-stderr");
        requireSuccess(waitFor(restore), stderr);
    }

    /** Parallel jobs for the post-data step: the cores there are, at most 4 (each is a connection to the server). */
    static int postDataJobs() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** pg_restore from the stream; {@code head}, if given, receives the stream's first bytes. */
    private void streamInto(PgTool pgRestore, List<String> switches, byte[] head) {
        Process restore = start(command(pgRestore, switches), pgRestore, ProcessBuilder.Redirect.DISCARD, db);
        BoundedTail stderr = BoundedTail.collect(restore.getErrorStream(), 16 * 1024, "pg_restore-stderr");
        Feed feed = feed(restore, head);
        int exit = waitFor(restore);
        if (feed.storageFailure != null) {
            throw feed.storageFailure;
        }
        if (feed.corruption != null) {
            throw corrupt(feed.corruption, feed.readError);
        }
        if (feed.readError != null) {
            throw new AgentFailure(Reason.RestoreFailed, "reading the archive failed: " + feed.readError.getMessage(),
                    feed.readError);
        }
        requireSuccess(exit, stderr);
    }

    private List<String> command(PgTool pgRestore, List<String> switches) {
        List<String> command = new ArrayList<>(List.of(pgRestore.path().toString(), "--exit-on-error",
                "--no-password", db.toolDbnameArgument()));
        if (noOwner) {
            command.add("--no-owner");
        }
        command.addAll(switches);
        return command;
    }

    private static void requireSuccess(int exit, BoundedTail stderr) {
        if (exit != 0) {
            throw new AgentFailure(Reason.RestoreFailed, "pg_restore failed (exit status " + exit + "): "
                    + firstError(stderr.text()));
        }
        warnings(stderr);
    }

    /** The outcome of feeding the archive to pg_restore's stdin. */
    static final class Feed {
        IOException readError;
        String corruption;
        /** The store stopped answering (within its retry budget): not a corrupt archive. */
        AgentFailure storageFailure;
    }

    /**
     * Copies the archive into the process's stdin. A read failure (corruption, storage) kills the process before
     * its stdin is closed: it must never see a clean end of a refused archive. When the process stops reading
     * early, or after a read failure, the rest of the stored object is read so its SHA-256 tells corruption apart.
     */
    Feed feed(Process process) {
        return feed(process, null);
    }

    /** As {@link #feed(Process)}; {@code head}, if given, receives the first bytes of the decompressed archive. */
    private Feed feed(Process process, byte[] head) {
        Feed feed = new Feed();
        int headFilled = 0;
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
            InputStream plain;
            try {
                plain = ArchiveSource.plain(manifest, held, identity);
            } catch (AgentFailure refused) {
                // No identity that opens it (the check before any database was touched says so first): the process
                // must not see a clean end of an empty stream.
                process.destroyForcibly();
                closeQuietly(stdin);
                closeQuietly(held);
                throw refused;
            }
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
                if (head != null && headFilled < head.length) {
                    int k = Math.min(n, head.length - headFilled);
                    System.arraycopy(buf, 0, head, headFilled, k);
                    headFilled += k;
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
        } else if (feed.readError != null && StorageErrors.failureBehind(feed.readError) != null) {
            feed.storageFailure = StorageErrors.failureBehind(feed.readError);
        } else {
            try {
                feed.corruption = remainingCorruption(stored, sha256);
            } catch (AgentFailure storage) {
                feed.storageFailure = storage;
            }
        }
        closeQuietly(held);
        return feed;
    }

    /**
     * Reads what pg_restore did not need, then compares the digest; null if the archive matches. Throws the
     * storage failure when the store cannot deliver the rest: that says nothing about the archive's bytes.
     */
    private String remainingCorruption(DigestingInputStream stored, Sha256 sha256) {
        try {
            stored.drain();
        } catch (IOException e) {
            AgentFailure storage = StorageErrors.failureBehind(e);
            throw storage != null ? storage : new AgentFailure(Reason.StorageUnreachable,
                    "archive " + manifest.archiveKey() + " could not be read to its end to check its SHA-256: "
                            + e.getMessage(), e);
        } catch (IllegalStateException alreadyComputed) {
            // the digest was final already (the hold-back check ran and accepted it)
        }
        String actual = sha256.hex();
        if (actual.equals(manifest.sha256()) && sha256.bytes() == manifest.sizeBytes()) {
            return null;
        }
        return ArchiveSource.hashMismatch(manifest, actual, sha256.bytes()).getMessage();
    }

    static AgentFailure corrupt(String message, Throwable cause) {
        return new AgentFailure(Reason.ArchiveCorrupt, message + "; the restore was stopped before anything of it "
                + "was committed", cause);
    }

    static Process start(List<String> command, PgTool tool, ProcessBuilder.Redirect stdout, PgTarget db) {
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

    static void warnings(BoundedTail stderr) {
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

    static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Closeable c) {
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

    /**
     * The first error of a tool's stderr as status may show it (no row data, no statements); the whole text goes
     * to the Job's log.
     */
    static String firstError(String stderr) {
        if (stderr != null && !stderr.isBlank()) {
            StructuredLog.warn("restore.tool-error", "text", tail(stderr));
        }
        return ToolErrors.firstError(stderr).orElse("no error text (see the Job's log)")
                + " (the Job's log has the full text)";
    }
}
