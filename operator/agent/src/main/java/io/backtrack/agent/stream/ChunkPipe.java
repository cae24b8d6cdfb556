package io.backtrack.agent.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded in-memory pipe between a producer thread (pg_dump → compression) and a consumer thread (the S3
 * upload): at most {@code capacity} chunks are in flight, so heap stays bounded whatever the database size.
 * Unlike {@link java.io.PipedInputStream} either side can end the pipe with an error: {@link #fail} makes the
 * reader throw (so an upload of a failed dump is aborted rather than completed), {@link #cancel} makes the
 * writer throw (so a dump stops when its upload has failed).
 */
public final class ChunkPipe {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private final int chunkSize;
    private volatile IOException writerFailure;
    private volatile IOException readerFailure;

    public ChunkPipe(int chunkSize, int capacity) {
        this.chunkSize = chunkSize;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Ends the stream with an error the reader sees instead of end-of-file. */
    public void fail(IOException cause) {
        writerFailure = cause;
        queue.clear();
        queue.offer(END);
    }

    /** Called by the reader when it gives up: the writer's next write throws. */
    public void cancel(IOException cause) {
        readerFailure = cause;
        queue.clear();
    }

    public OutputStream outputStream() {
        return new Writer();
    }

    public InputStream inputStream() {
        return new Reader();
    }

    private final class Writer extends OutputStream {
        private byte[] buffer = new byte[chunkSize];
        private int used;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buffer.length - used);
                System.arraycopy(b, off, buffer, used, n);
                used += n;
                off += n;
                len -= n;
                if (used == buffer.length) {
                    push();
                }
            }
        }

        private void push() throws IOException {
            if (used == 0) {
                return;
            }
            byte[] chunk = used == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, used);
            put(chunk);
            buffer = new byte[chunkSize];
            used = 0;
        }

        private void put(byte[] chunk) throws IOException {
            try {
                while (!queue.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                    checkCancelled();
                }
                checkCancelled();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing to the upload pipe");
            }
        }

        private void checkCancelled() throws IOException {
            if (readerFailure != null) {
                throw new IOException("upload stopped: " + readerFailure.getMessage(), readerFailure);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            push();
            put(END);
        }
    }

    private final class Reader extends InputStream {
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == current.length) {
                if (ended) {
                    return -1;
                }
                byte[] next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the upload pipe");
                }
                if (next == END) {
                    if (writerFailure != null) {
                        throw new IOException(writerFailure.getMessage(), writerFailure);
                    }
                    ended = true;
                    return -1;
                }
                current = next;
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
