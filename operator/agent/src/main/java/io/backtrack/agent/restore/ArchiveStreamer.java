package io.backtrack.agent.restore;

import io.backtrack.agent.archive.ArchiveSource;
import io.backtrack.agent.concurrent.Futures;
import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.engine.postgres.ArchiveToc;
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

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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
        streamInto(pgRestore, switches, null, null, null);
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
     *
     * <p>With {@code overlap} (a whole archive), a table's indexes and keys are built from that file as soon as its
     * rows are in, while the later tables' rows still stream ({@link OverlappedPostData}); the post-data step then
     * builds the rest.
     */
    void intoNewDatabaseInSteps(PgTool pgRestore, List<String> switches, int headLength, int jobs, boolean overlap) {
        byte[] head = new byte[headLength];
        CompletableFuture<byte[]> headIn = new CompletableFuture<>();
        List<String> data = new ArrayList<>(switches);
        data.addAll(List.of("--section=pre-data", "--section=data"));
        try (HeadFile headFile = new HeadFile(headIn)) {
            OverlappedPostData.Built built = OverlappedPostData.Built.NONE;
            if (!overlap) {
                streamInto(pgRestore, data, head, headIn, null);
            } else {
                data.add("--verbose"); // its progress lines say when each table's rows are in
                try (OverlappedPostData beside = new OverlappedPostData(() -> toc(headIn), headFile::path,
                        more -> start(command(pgRestore, with(switches, more)), pgRestore,
                                ProcessBuilder.Redirect.DISCARD, db, OverlappedPostData.PG_OPTIONS))) {
                    streamInto(pgRestore, data, head, headIn, beside);
                    built = beside.finish();
                }
            }
            StructuredLog.info("restore.data-restored", "database", db.database(), "builtBesideRows",
                    built.entries());
            List<String> postData = new ArrayList<>(switches);
            postData.add("--section=post-data");
            Path list = built.entries() == 0 ? null : listFile(built.rest());
            try {
                if (list != null) {
                    postData.add("--use-list=" + list);
                }
                fromFile(pgRestore, postData, headFile.path(), jobs);
            } finally {
                deleteQuietly(list);
            }
        }
    }

    /**
     * The table of contents of the streamed head: the one pg_restore reads; null while the stream has not passed it
     * (never waited for: the thread asking reads pg_restore's stderr, which must not stop).
     */
    private static ArchiveToc toc(CompletableFuture<byte[]> headIn) {
        if (!headIn.isDone()) {
            return null;
        }
        try {
            return ArchiveToc.read(new ByteArrayInputStream(Futures.join(headIn)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> with(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    /**
     * The archive's header and table of contents as a file (pg_restore's parallel mode and the early builds read
     * it), written from the streamed bytes the first time it is needed; removed on close.
     */
    private static final class HeadFile implements AutoCloseable {
        private final CompletableFuture<byte[]> bytes;
        private Path file;

        HeadFile(CompletableFuture<byte[]> bytes) {
            this.bytes = bytes;
        }

        synchronized Path path() {
            if (file == null) {
                file = writeTemp("backtrack-toc-", ".pgdump", Futures.join(bytes), "the archive's table of contents");
            }
            return file;
        }

        @Override
        public synchronized void close() {
            deleteQuietly(file);
        }
    }

    /** Writes a temporary file in the Job's emptyDir. */
    static Path writeTemp(String prefix, String suffix, byte[] content, String what) {
        Path file;
        try {
            file = Files.createTempFile(prefix, suffix);
        } catch (IOException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot write " + what + " under "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
        try {
            Files.write(file, content);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new AgentFailure(Reason.RestoreFailed, "cannot write " + what + " to " + file + ": "
                    + e.getMessage(), e);
        }
        return file;
    }

    /** A pg_restore {@code --use-list} file. */
    static Path listFile(String list) {
        return writeTemp("backtrack-post-data-", ".list", list.getBytes(StandardCharsets.UTF_8),
                "pg_restore's list file");
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file in the Job's emptyDir
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

    /**
     * pg_restore from the stream; {@code head}, if given, receives the stream's first bytes, and completes
     * {@code headIn} once they are in. {@code overlap}, if given, reads pg_restore's verbose output.
     */
    private void streamInto(PgTool pgRestore, List<String> switches, byte[] head, CompletableFuture<byte[]> headIn,
                            OverlappedPostData overlap) {
        Process restore = start(command(pgRestore, switches), pgRestore, ProcessBuilder.Redirect.DISCARD, db);
        BoundedTail stderr = overlap == null
                ? BoundedTail.collect(restore.getErrorStream(), 16 * 1024, "pg_restore-stderr")
                : BoundedTail.collectLines(restore.getErrorStream(), 16 * 1024, "pg_restore-stderr", overlap::line);
        Feed feed = feed(restore, head, headIn);
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
        return feed(process, null, null);
    }

    /**
     * As {@link #feed(Process)}; {@code head}, if given, receives the first bytes of the decompressed archive, and
     * completes {@code headIn} once they are in (exceptionally if the archive ends first).
     */
    private Feed feed(Process process, byte[] head, CompletableFuture<byte[]> headIn) {
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
                    if (headFilled == head.length && headIn != null) {
                        headIn.complete(head);
                    }
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
        if (headIn != null) {
            headIn.completeExceptionally(new AgentFailure(Reason.RestoreFailed, "the archive ended before the end "
                    + "of its table of contents"));
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
        return start(command, tool, stdout, db, null);
    }

    /**
     * As above; {@code pgOptions}, if given, are server settings for the tool's session, after any the environment
     * gives. The tool's own messages come in English: the restore reads them (its errors, pg_restore's progress).
     */
    static Process start(List<String> command, PgTool tool, ProcessBuilder.Redirect stdout, PgTarget db,
                         String pgOptions) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout);
        Map<String, String> env = pb.environment();
        if (db.password() != null) {
            env.put("PGPASSWORD", db.password());
        }
        env.put("PGAPPNAME", "backtrack-agent");
        env.remove("LC_ALL"); // it would override LC_MESSAGES
        env.put("LC_MESSAGES", "C");
        if (pgOptions != null) {
            env.merge("PGOPTIONS", pgOptions, (given, ours) -> given + " " + ours);
        }
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
