package io.backtrack.agent.stream;

import java.io.IOException;
import java.io.InputStream;

/** Hashes and counts every byte read through it (the stored archive as it comes from S3). */
public final class DigestingInputStream extends BlockInputStream {
    private final InputStream in;
    private final Sha256 sha256;
    private boolean eof;

    public DigestingInputStream(InputStream in, Sha256 sha256) {
        this.in = in;
        this.sha256 = sha256;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
        } else if (n < 0) {
            eof = true;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would leave bytes out of the digest.
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    public boolean reachedEnd() {
        return eof;
    }

    /** Reads whatever is left so the digest covers the whole object (used to tell corruption from other errors). */
    public void drain() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (read(buf, 0, buf.length) >= 0) {
            // digesting only
        }
    }
}
