package io.backtrack.agent.backup;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StorageErrors;
import io.backtrack.agent.stream.BoundedTail;
import io.backtrack.agent.stream.ChunkPipe;
import io.backtrack.agent.stream.Compression;
import io.backtrack.agent.stream.DigestingOutputStream;
import io.backtrack.agent.stream.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * pg_dump's stdout → compression → SHA-256 → bounded pipe → multipart upload, with no temporary file.
 * Two threads: the pump (reads pg_dump, compresses, hashes) and the upload (S3 client reading the pipe).
 * The pipe is ended with end-of-file only after pg_dump exited 0; any other ending makes the upload fail, so
 * the client aborts its multipart upload and no object of a failed dump is completed.
 */
final class StreamingDump {
    private static final int CHUNK = 1024 * 1024;
    private static final int CHUNKS_IN_FLIGHT = 16; // 16 MiB: compression keeps going while a part uploads

    private final Process process;
    private final BoundedTail stderr;
    private final ChunkPipe pipe = new ChunkPipe(CHUNK, CHUNKS_IN_FLIGHT);
    private final Thread pump;
    private final Thread upload;
    private final ObjectStore store;

    private volatile Integer exitCode;
    private volatile IOException pumpError;
    private volatile Exception uploadError;
    private volatile ArchiveStats stats;
    private volatile String abortedBecause;

    private StreamingDump(Process process, Compression compression, Integer level, ObjectStore store, String key) {
        this.process = process;
        this.store = store;
        this.stderr = BoundedTail.collect(process.getErrorStream(), 16 * 1024, "pg_dump-stderr");
        int workers = Runtime.getRuntime().availableProcessors() > 1 ? Runtime.getRuntime().availableProcessors() : 0;
        this.pump = new Thread(() -> pump(compression, level, workers), "dump-pump");
        this.upload = new Thread(() -> upload(key, contentType(compression)), "archive-upload");
    }

    static StreamingDump start(List<String> command, Map<String, String> env, Compression compression,
                               Integer level, ObjectStore store, String key) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AgentFailure(Reason.ToolMissing, "cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        StreamingDump dump = new StreamingDump(process, compression, level, store, key);
        dump.pump.start();
        dump.upload.start();
        return dump;
    }

    private void pump(Compression compression, Integer level, int workers) {
        Sha256 sha256 = new Sha256();
        OutputStream compressed = null;
        try (InputStream dumpOut = process.getInputStream()) {
            compressed = compression.compress(new DigestingOutputStream(pipe.outputStream(), sha256), level, workers);
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = dumpOut.read(buf)) >= 0) {
                compressed.write(buf, 0, n);
            }
            exitCode = process.waitFor();
            if (exitCode != 0) {
                pipe.fail(new IOException("pg_dump exited with status " + exitCode));
                return;
            }
            compressed.close(); // flushes the compressor and ends the pipe: only now may the upload complete
            stats = new ArchiveStats(sha256.hex(), sha256.bytes());
        } catch (IOException e) {
            pumpError = e;
            process.destroyForcibly();
            pipe.fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pumpError = new IOException("interrupted");
            process.destroyForcibly();
            pipe.fail(pumpError);
        }
    }

    private void upload(String key, String contentType) {
        try (InputStream in = pipe.inputStream()) {
            store.uploadStream(key, in, contentType);
        } catch (Exception e) {
            uploadError = e;
            pipe.cancel(new IOException(e.getMessage(), e));
            process.destroyForcibly();
        }
    }

    /** Stops the dump (e.g. row counting failed); {@link #await()} then fails and nothing is completed. */
    void abort(String why) {
        abortedBecause = why;
        process.destroyForcibly();
        pipe.fail(new IOException("backup aborted: " + why));
    }

    /** Waits for both threads after {@link #abort}, ignoring the outcome. */
    void awaitQuietly() {
        try {
            pump.join();
            upload.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for pg_dump and the upload; returns the archive's identity or throws the classified failure. */
    ArchiveStats await() {
        try {
            pump.join();
            upload.join();
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
        if (uploadError != null && !causedByDump(uploadError)) {
            throw StorageErrors.classify(uploadError, store.location(), "uploading the archive");
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

    /** True if the upload only failed because the pump ended the pipe with an error. */
    private boolean causedByDump(Exception e) {
        if (pumpError == null && (exitCode == null || exitCode == 0) && abortedBecause == null) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null
                    && (t.getMessage().contains("pg_dump exited") || t.getMessage().contains("backup aborted")
                    || (pumpError != null && t.getMessage().equals(pumpError.getMessage())))) {
                return true;
            }
        }
        return false;
    }

    static String lastLines(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 1200 ? trimmed : "…" + trimmed.substring(trimmed.length() - 1200);
    }

    private static String contentType(Compression compression) {
        return switch (compression) {
            case ZSTD -> "application/zstd";
            case GZIP -> "application/gzip";
            case NONE -> "application/octet-stream";
        };
    }
}
