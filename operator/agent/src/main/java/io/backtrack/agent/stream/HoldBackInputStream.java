package io.backtrack.agent.stream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through but keeps the last {@code holdBack} bytes of the stream until the source has ended and
 * {@link EndCheck#verify()} has accepted it. A consumer (pg_restore) therefore never sees the end of an archive
 * whose SHA-256 does not match: it fails on a truncated stream instead of committing a corrupt restore.
 */
public final class HoldBackInputStream extends BlockInputStream {
    /** Runs once the source is exhausted; throws to refuse the held-back tail. */
    @FunctionalInterface
    public interface EndCheck {
        void verify() throws IOException;
    }

    private final InputStream source;
    private final EndCheck endCheck;
    private final int holdBack;
    private final byte[] ring;
    private int start;
    private int size;
    private boolean sourceEnded;
    private boolean verified;

    public HoldBackInputStream(InputStream source, int holdBack, EndCheck endCheck) {
        if (holdBack <= 0) {
            throw new IllegalArgumentException("holdBack must be positive");
        }
        this.source = source;
        this.endCheck = endCheck;
        this.ring = new byte[holdBack * 2];
        this.holdBack = holdBack;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int releasable = sourceEnded ? (verified ? size : 0) : size - holdBack;
            if (releasable > 0) {
                return take(b, off, Math.min(len, releasable));
            }
            if (sourceEnded) {
                if (!verified) {
                    endCheck.verify();
                    verified = true;
                    continue;
                }
                return -1;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        int free = ring.length - size;
        int writeAt = (start + size) % ring.length;
        int contiguous = Math.min(free, ring.length - writeAt);
        int n = source.read(ring, writeAt, contiguous);
        if (n < 0) {
            sourceEnded = true;
        } else {
            size += n;
        }
    }

    private int take(byte[] b, int off, int n) {
        int first = Math.min(n, ring.length - start);
        System.arraycopy(ring, start, b, off, first);
        if (n > first) {
            System.arraycopy(ring, 0, b, off + first, n - first);
        }
        start = (start + n) % ring.length;
        size -= n;
        return n;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
