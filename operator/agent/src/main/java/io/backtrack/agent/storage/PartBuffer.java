package io.backtrack.agent.storage;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of one part until its upload has succeeded (a failed request is re-sent from here): an array on the
 * heap, or, for parts larger than the heap budget allows, a file in the temporary directory that is unlinked as
 * soon as it is created (nothing is left on disk, whatever ends the process).
 */
abstract sealed class PartBuffer implements Closeable permits PartBuffer.Heap, PartBuffer.Spooled {
    long used;

    /** The part size this buffer holds when full. */
    abstract long capacity();

    /** Takes up to {@code len} bytes (no more than fit); returns how many. */
    abstract int write(byte[] b, int off, int len) throws IOException;

    /** Empties the buffer for another part of {@code capacity} bytes. */
    abstract void reset(long capacity) throws IOException;

    /** What the S3 client sends as the part's body, from its first byte (again on every retry). */
    abstract Object body() throws IOException;

    final long length() {
        return used;
    }

    final boolean full() {
        return used == capacity();
    }

    /** A part on the heap. */
    static final class Heap extends PartBuffer {
        final byte[] data;

        Heap(int capacity) {
            data = new byte[capacity];
        }

        @Override
        long capacity() {
            return data.length;
        }

        @Override
        int write(byte[] b, int off, int len) {
            int n = (int) Math.min(len, data.length - used);
            System.arraycopy(b, off, data, (int) used, n);
            used += n;
            return n;
        }

        @Override
        void reset(long capacity) {
            if (capacity != data.length) {
                throw new IllegalArgumentException("a heap part keeps its size");
            }
            used = 0;
        }

        @Override
        Object body() {
            return data;
        }

        InputStream stream() {
            return new ByteArrayInputStream(data, 0, (int) used);
        }

        @Override
        public void close() {
            // garbage-collected
        }
    }

    /** A part in an unlinked temporary file. */
    static final class Spooled extends PartBuffer {
        private final RandomAccessFile file;
        private long capacity;

        Spooled(Path dir, long capacity) throws IOException {
            Path path = Files.createTempFile(dir, "backtrack-part-", ".spool");
            try {
                file = new RandomAccessFile(path.toFile(), "rw");
            } finally {
                Files.delete(path); // the open file stays usable; no name is left behind
            }
            this.capacity = capacity;
        }

        @Override
        long capacity() {
            return capacity;
        }

        @Override
        int write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, capacity - used);
            file.write(b, off, n);
            used += n;
            return n;
        }

        @Override
        void reset(long newCapacity) throws IOException {
            capacity = newCapacity;
            used = 0;
            file.seek(0);
            file.setLength(0);
        }

        @Override
        Object body() throws IOException {
            file.seek(0); // the S3 client reads from the file pointer on
            return file;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
