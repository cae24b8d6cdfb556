package io.backtrack.agent.backup;

import io.backtrack.agent.crypto.AgeRecipients;
import io.backtrack.agent.crypto.AgeStreams;
import io.backtrack.agent.engine.postgres.StreamRowCounter;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.MultipartWriter;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StorageErrors;
import io.backtrack.agent.stream.BoundedTail;
import io.backtrack.agent.stream.Compressors;
import io.backtrack.agent.stream.DigestingOutputStream;
import io.backtrack.agent.stream.Sha256;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.ArchiveCompression;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * pg_dump's stdout → compression → age encryption (when recipients are given) → SHA-256 → multipart upload, with
 * no temporary file; the SHA-256 and size are of the stored bytes, so checking them needs no key. One pump thread
 * reads pg_dump with large reads, counts the rows of the tables in the stream as they pass ({@link StreamRowCounter}), and
 * writes through the compressor (zstd with its own worker threads) and the digest
 * into a {@link MultipartWriter}, which uploads a few parts at once from a fixed pool of part buffers, so memory
 * is bounded whatever the database size. Only a pg_dump that exited 0 closes (completes) the upload; any other
 * ending aborts the multipart upload, so no object of a failed dump is ever completed.
 */
final class StreamingDump {
    private static final int READ_SIZE = 1024 * 1024;
    private static final int DEFAULT_ZSTD_JOB_MIB = 4;
    private static final String ENCRYPTED_CONTENT_TYPE = "application/octet-stream";

    private final Process process;
    private final BoundedTail stderr;
    private final MultipartWriter writer;
    private final Thread pump;
    private final ObjectStore store;
    private final String key;
    private final StreamRowCounter rows;

    private volatile Integer exitCode;
    private volatile IOException pumpError;
    private volatile Throwable uploadError;
    private volatile ArchiveStats stats;
    private volatile String abortedBecause;

    private StreamingDump(Process process, ArchiveCompression compression, Integer level, AgeRecipients recipients,
                          ObjectStore store, String key, long sizeEstimate, StreamRowCounter rows,
                          CompletableFuture<?> storageReady) {
        this.process = process;
        this.store = store;
        this.key = key;
        this.rows = rows;
        this.stderr = BoundedTail.collect(process.getErrorStream(), 16 * 1024, "pg_dump-stderr");
        this.writer = store.openUpload(key, recipients == null ? contentType(compression) : ENCRYPTED_CONTENT_TYPE,
                sizeEstimate, storageReady);
        int workers = zstdWorkers();
        this.pump = new Thread(() -> pump(compression, level, recipients, workers, zstdJobSize()), "dump-pump");
    }

    /** zstd worker threads: compression runs beside the thread reading pg_dump (BACKTRACK_ZSTD_WORKERS overrides). */
    static int zstdWorkers() {
        return envInt("BACKTRACK_ZSTD_WORKERS", Math.max(1, Runtime.getRuntime().availableProcessors()), 0, 16);
    }

    /** Bytes per zstd job (BACKTRACK_ZSTD_JOB_MIB overrides); smaller jobs bound zstd's native buffers. */
    static int zstdJobSize() {
        return envInt("BACKTRACK_ZSTD_JOB_MIB", DEFAULT_ZSTD_JOB_MIB, 1, 64) * 1024 * 1024;
    }

    private static int envInt(String name, int defaultValue, int min, int max) {
        String v = System.getenv(name);
        if (v != null && !v.isBlank()) {
            try {
                return Math.max(min, Math.min(max, Integer.parseInt(v.strip())));
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return defaultValue;
    }

    /**
     * {@code sizeEstimate}: the archive's likely size in bytes (0: unknown), for sizing the upload's parts;
     * {@code rows} counts the rows of the tables it was made for as the dump streams past; the upload sends
     * nothing before {@code storageReady} has completed.
     */
    static StreamingDump start(List<String> command, Map<String, String> env, ArchiveCompression compression,
                               Integer level, AgeRecipients recipients, ObjectStore store, String key,
                               long sizeEstimate, StreamRowCounter rows, CompletableFuture<?> storageReady) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AgentFailure(Reason.ToolMissing, "cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        StreamingDump dump;
        try {
            dump = new StreamingDump(process, compression, level, recipients, store, key, sizeEstimate, rows,
                    storageReady);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        dump.pump.start();
        return dump;
    }

    private void pump(ArchiveCompression compression, Integer level, AgeRecipients recipients, int workers,
                      int jobSize) {
        Sha256 sha256 = new Sha256();
        try (InputStream dumpOut = process.getInputStream()) {
            OutputStream stored = new DigestingOutputStream(writer, sha256);
            // Encryption sits between the compressor and the digest: what is hashed and uploaded is the ciphertext,
            // and only close() (below, after pg_dump exited 0) writes age's last chunk and completes the upload.
            OutputStream compressed = Compressors.compress(compression,
                    recipients == null ? stored : AgeStreams.encrypting(stored, recipients), level, workers, jobSize);
            long raw = rows.copy(dumpOut, compressed, new byte[READ_SIZE]);
            exitCode = process.waitFor();
            StructuredLog.info("backup.dumped", "exitCode", exitCode, "dumpBytes", raw);
            if (exitCode != 0) {
                writer.abort(new IOException("pg_dump exited with status " + exitCode));
                return;
            }
            if (abortedBecause != null) {
                writer.abort(new IOException("backup aborted: " + abortedBecause));
                return;
            }
            compressed.close(); // flushes the compressor and completes the upload: only now does the object exist
            stats = new ArchiveStats(sha256.hex(), sha256.bytes());
        } catch (IOException e) {
            if (writer.failure() != null) {
                uploadError = writer.failure();
            } else {
                pumpError = e;
            }
            process.destroyForcibly();
            writer.abort(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pumpError = new IOException("interrupted");
            process.destroyForcibly();
            writer.abort(pumpError);
        } catch (RuntimeException e) {
            pumpError = new IOException(e.toString(), e);
            process.destroyForcibly();
            writer.abort(e);
        }
    }

    /** Stops the dump (e.g. row counting failed); {@link #await()} then fails and nothing is completed. */
    void abort(String why) {
        abortedBecause = why;
        process.destroyForcibly();
    }

    /** Waits for both threads after {@link #abort}, ignoring the outcome. */
    void awaitQuietly() {
        try {
            pump.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The row counter, read to the end of the dump once {@link #await()} has returned. */
    StreamRowCounter rows() {
        return rows;
    }

    /** Waits for pg_dump and the upload; returns the archive's identity or throws the classified failure. */
    ArchiveStats await() {
        try {
            pump.join();
            if (exitCode == null) {
                process.waitFor();
                exitCode = process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort("interrupted");
            throw new AgentFailure(Reason.DumpFailed, "backup interrupted");
        }
        if (abortedBecause != null) {
            throw new AgentFailure(Reason.DumpFailed, "backup aborted: " + abortedBecause);
        }
        // A genuine upload failure comes first: it is also why pg_dump was killed.
        if (uploadError != null && StorageErrors.isNoSuchUpload(uploadError)) {
            throw new AgentFailure(Reason.InvalidArguments, "the multipart upload of " + key + " was aborted by "
                    + "another client while this backup was writing it: most likely another backup into the same "
                    + "folder (a backup aborts the incomplete uploads it finds in its folder). Run one backup per "
                    + "folder at a time, or choose another --key", uploadError);
        }
        if (uploadError != null) {
            throw StorageErrors.classify(asException(uploadError), store.location(), "uploading the archive");
        }
        if (exitCode != null && exitCode != 0) {
            throw new AgentFailure(Reason.DumpFailed, "pg_dump failed (exit status " + exitCode + "): "
                    + lastLines(stderr.text()));
        }
        if (pumpError != null || uploadError != null || stats == null) {
            Throwable cause = pumpError != null ? pumpError : uploadError;
            String err = stderr.text();
            throw new AgentFailure(Reason.DumpFailed, "streaming pg_dump output failed: "
                    + (cause == null ? "no output" : cause.getMessage())
                    + (err.isEmpty() ? "" : "; pg_dump said: " + lastLines(err)), cause);
        }
        String warnings = stderr.text();
        if (!warnings.isEmpty()) {
            StructuredLog.warn("pg_dump.stderr", "text", lastLines(warnings));
        }
        return stats;
    }

    private static Exception asException(Throwable t) {
        return t instanceof Exception e ? e : new RuntimeException(t);
    }

    static String lastLines(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 1200 ? trimmed : "…" + trimmed.substring(trimmed.length() - 1200);
    }

    private static String contentType(ArchiveCompression compression) {
        return switch (compression) {
            case ZSTD -> "application/zstd";
            case GZIP -> "application/gzip";
            case NONE -> "application/octet-stream";
        };
    }
}
