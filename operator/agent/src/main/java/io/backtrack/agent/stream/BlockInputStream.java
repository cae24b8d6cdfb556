package io.backtrack.agent.stream;

import java.io.IOException;
import java.io.InputStream;

/** An InputStream whose logic lives in the block read; the single-byte read goes through it, never around it. */
public abstract class BlockInputStream extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
