package io.backtrack.agent.stream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Hashes and counts every byte written through it: placed after compression, it describes the stored object. */
public final class DigestingOutputStream extends FilterOutputStream {
    private final Sha256 sha256;

    public DigestingOutputStream(OutputStream out, Sha256 sha256) {
        super(out);
        this.sha256 = sha256;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
    }
}
