package io.backtrack.agent.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The buffers of one upload, within a fixed heap budget: at most {@code partsInFlight + 1} parts exist at once
 * (one being filled, the others uploading or waiting to be retried), and the part arrays on the heap never add up
 * to more than half of {@code heapBudget}: the other half is for the S3 client, which copies each part it sends into
 * buffers of its own while the request runs. When parts grow, fewer of them upload at once (at least one); a part
 * larger than a quarter of the budget goes to a file in {@code spoolDir} instead (unlinked at once, streamed to S3
 * without a copy, at most {@code partsInFlight + 1} of them on disk), which is how an object of S3's full 5 TiB
 * (parts over 500 MiB) uploads from a fixed, small heap.
 *
 * <p>Buffers are reused while the part size stays the same, so a whole upload allocates a handful of arrays.
 */
final class PartBuffers implements AutoCloseable {
    private final long heapBudget;
    private final int partsInFlight;
    private final Path spoolDir;
    private final Deque<PartBuffer> free = new ArrayDeque<>();
    private long heapBytes;
    private int outstanding;
    private boolean closed;

    PartBuffers(long heapBudget, int partsInFlight, Path spoolDir) {
        this.heapBudget = heapBudget;
        this.partsInFlight = partsInFlight;
        this.spoolDir = spoolDir;
    }

    /** True when parts of this size are kept on the heap: two of them (one filling, one uploading) fit. */
    boolean onHeap(long partSize) {
        return 2 * partSize <= arrayBudget();
    }

    /** How many parts of this size may exist at once: filling plus uploading. */
    int capacity(long partSize) {
        return onHeap(partSize) ? (int) Math.min(partsInFlight + 1, arrayBudget() / partSize) : partsInFlight + 1;
    }

    /** What the part arrays may take: half the budget; the S3 client's copies of the parts it sends take the rest. */
    private long arrayBudget() {
        return heapBudget / 2;
    }

    /**
     * A buffer for a part of {@code size} bytes, waiting while as many parts as the budget allows are in use.
     * {@code check} runs every 200 ms while waiting, to stop on a failed upload.
     */
    PartBuffer take(long size, Check check) throws IOException {
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new IOException("the upload is over");
                }
                if (outstanding < capacity(size)) {
                    PartBuffer b = reuse(size);
                    if (b == null && (!onHeap(size) || heapBytes + size <= arrayBudget())) {
                        b = allocate(size);
                    }
                    if (b != null) {
                        outstanding++;
                        return b;
                    }
                }
                check.run();
                try {
                    wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a part upload");
                }
            }
        }
    }

    /** Gives a buffer back once no request uses it any more (its part uploaded, or the upload failed). */
    synchronized void giveBack(PartBuffer b) {
        outstanding--;
        if (closed) {
            release(b);
        } else {
            free.push(b);
        }
        notifyAll();
    }

    /** A free buffer that holds parts of this size; buffers of another kind or size are released. */
    private PartBuffer reuse(long size) throws IOException {
        boolean heap = onHeap(size);
        PartBuffer match = null;
        for (PartBuffer b : free.toArray(new PartBuffer[0])) {
            boolean fits = heap ? b instanceof PartBuffer.Heap && b.capacity() == size
                    : b instanceof PartBuffer.Spooled;
            if (fits && match == null) {
                match = b;
            } else if (!fits) {
                free.remove(b);
                release(b);
            }
        }
        if (match != null) {
            free.remove(match);
            match.reset(size);
        }
        return match;
    }

    private PartBuffer allocate(long size) throws IOException {
        if (onHeap(size)) {
            heapBytes += size;
            return new PartBuffer.Heap((int) size);
        }
        return new PartBuffer.Spooled(spoolDir, size);
    }

    private void release(PartBuffer b) {
        if (b instanceof PartBuffer.Heap) {
            heapBytes -= b.capacity();
        }
        try {
            b.close();
        } catch (IOException ignored) {
            // an unlinked file: closing it only frees its disk space
        }
    }

    /** Releases the free buffers now, and the others as they come back. */
    @Override
    public synchronized void close() {
        closed = true;
        while (!free.isEmpty()) {
            release(free.pop());
        }
        notifyAll();
    }

    /** What to check while waiting for a buffer. */
    @FunctionalInterface
    interface Check {
        void run() throws IOException;
    }
}
