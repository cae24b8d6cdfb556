package io.backtrack.agent.storage;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.stream.BlockInputStream;
import io.minio.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * An object's bytes that survive a broken download: when a read fails in a way a retry can cure (no progress for
 * {@link StorageTimeouts#attempt()}, a reset connection, a 5xx), the download is opened again at the byte it
 * reached, with {@code If-Match} on the first response's ETag so the rest comes from the same object. A store that
 * does not answer within the retry budget ends it with an IOException whose cause is the StorageUnreachable
 * failure; the reader sees no byte twice and none missing.
 */
final class ResumableDownload extends BlockInputStream {
    private final ObjectStore store;
    private final String key;
    private volatile InputStream current;
    private String etag;
    private long position;
    private volatile boolean closed;

    ResumableDownload(ObjectStore store, String key) {
        this.store = store;
        this.key = key;
    }

    /** Opens the download (with retries); fails with the classified AgentFailure, e.g. for a missing object. */
    void start() {
        String doing = "downloading " + key;
        try {
            current = store.retry().run(doing, () -> store.get(key, 0, null));
        } catch (Exception e) {
            throw StorageErrors.classify(e, store.location(), doing);
        }
        if (current instanceof GetObjectResponse response) {
            etag = response.headers().get("ETag");
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            try {
                int n = current.read(b, off, len);
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (IOException e) {
                if (closed) {
                    throw e; // closed by its reader: not a download to resume
                }
                resume(e);
            }
        }
    }

    private void resume(IOException failure) throws IOException {
        long failedAt = System.nanoTime();
        closeQuietly(current);
        long from = position;
        String doing = "resuming the download of " + key + " at byte " + from;
        StructuredLog.warn("storage.resume", "key", key, "at", from, "error", StorageErrors.describe(failure));
        try {
            current = store.retry().resume(doing, () -> store.get(key, from, etag), failedAt, failure);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            AgentFailure f = StorageErrors.classify(e, store.location(), doing);
            throw new IOException(f.getMessage(), f);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        InputStream in = current;
        if (in != null) {
            in.close();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // a broken connection
        }
    }
}
