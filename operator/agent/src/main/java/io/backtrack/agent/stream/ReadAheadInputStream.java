package io.backtrack.agent.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads its source on a background thread into a fixed pool of {@code chunks} buffers of {@code chunkSize} bytes,
 * so the download keeps going while the consumer decompresses and feeds pg_restore. Memory is bounded by the pool
 * (allocated once); a source error is thrown by the consumer's next read, after the bytes read before it, and
 * by every read after that.
 *
 * <p>Closing it before the end (a reader that needed only the start, such as the table of contents) stops the
 * background thread at its next step and closes the source once that thread has let go of it: the source (an HTTP
 * response) is never read and closed by two threads at once, and its read is never interrupted (an interrupted read
 * looks like a broken download to it).
 */
public final class ReadAheadInputStream extends BlockInputStream {
    private record Chunk(byte[] data, int length, IOException error) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1, null);
    /** How often a waiting background thread looks whether the stream was closed. */
    private static final long WAIT_MS = 20;
    /** How long {@link #close()} waits for a read of the source in progress (one that stalls is closed under it). */
    private static final long CLOSE_WAIT_MS = 2000;

    private final InputStream source;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Chunk> filled;
    private final Thread reader;
    private Chunk current;
    private int pos;
    private boolean ended;
    private IOException failed;
    private volatile boolean closed;

    public ReadAheadInputStream(InputStream source, int chunkSize, int chunks, String threadName) {
        this.source = source;
        this.free = new ArrayBlockingQueue<>(chunks);
        this.filled = new ArrayBlockingQueue<>(chunks + 1);
        for (int i = 0; i < chunks; i++) {
            free.add(new byte[chunkSize]);
        }
        this.reader = new Thread(this::fill, threadName);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void fill() {
        try {
            boolean eof = false;
            while (!eof && !closed) {
                byte[] buf = free.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                if (buf == null) {
                    continue;
                }
                int n = 0;
                while (n < buf.length && !closed) {
                    int r = source.read(buf, n, buf.length - n);
                    if (r < 0) {
                        eof = true;
                        break;
                    }
                    n += r;
                }
                if (n > 0) {
                    put(new Chunk(buf, n, null));
                } else {
                    free.offer(buf);
                }
            }
            if (eof) {
                put(END);
            }
        } catch (IOException e) {
            if (!closed) {
                try {
                    put(new Chunk(null, -1, e));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands a chunk to the consumer, waiting while it is behind; drops it once the stream is closed. */
    private void put(Chunk chunk) throws InterruptedException {
        while (!closed && !filled.offer(chunk, WAIT_MS, TimeUnit.MILLISECONDS)) {
            // the consumer is behind: keep waiting unless it closed the stream
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || pos == current.length()) {
            if (failed != null) {
                // Like the source: a failed stream keeps failing (a later read must not look like its end).
                throw new IOException(failed.getMessage(), failed);
            }
            if (ended) {
                return -1;
            }
            if (current != null) {
                free.offer(current.data());
                current = null;
            }
            Chunk next;
            try {
                next = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            if (next == END) {
                ended = true;
                return -1;
            }
            if (next.error() != null) {
                failed = next.error();
                throw new IOException(failed.getMessage(), failed);
            }
            current = next;
            pos = 0;
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.data(), pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        try {
            reader.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!reader.isAlive()) {
            source.close();
            return;
        }
        try {
            source.close(); // a read that stalled: closing its source is what ends it
        } catch (RuntimeException concurrent) {
            // the stalled read and this close met inside the HTTP client: the download is abandoned either way
        }
    }
}
