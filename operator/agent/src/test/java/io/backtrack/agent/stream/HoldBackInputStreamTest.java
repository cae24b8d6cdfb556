package io.backtrack.agent.stream;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HoldBackInputStreamTest {

    @Test
    void passesEverythingThroughWhenTheCheckAccepts() throws IOException {
        byte[] data = randomBytes(100_000);
        AtomicBoolean checked = new AtomicBoolean();
        InputStream in = new HoldBackInputStream(new TrickleInputStream(data, 777), 1024, () -> checked.set(true));
        assertThat(in.readAllBytes()).isEqualTo(data);
        assertThat(checked).isTrue();
    }

    @Test
    void neverReleasesTheTailWhenTheCheckRefuses() {
        byte[] data = randomBytes(50_000);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        InputStream in = new HoldBackInputStream(new ByteArrayInputStream(data), 4096, () -> {
            throw new IOException("sha mismatch");
        });
        assertThatThrownBy(() -> {
            byte[] buf = new byte[1000];
            int n;
            while ((n = in.read(buf)) >= 0) {
                seen.write(buf, 0, n);
            }
        }).isInstanceOf(IOException.class).hasMessage("sha mismatch");
        assertThat(seen.size()).isEqualTo(data.length - 4096);
    }

    @Test
    void shortStreamsAreHeldEntirely() throws IOException {
        byte[] data = randomBytes(10);
        AtomicBoolean checked = new AtomicBoolean();
        InputStream in = new HoldBackInputStream(new ByteArrayInputStream(data), 1024, () -> checked.set(true));
        assertThat(in.read()).isEqualTo(data[0] & 0xff);
        assertThat(checked).as("the first byte was only released after the check").isTrue();
        assertThat(in.readAllBytes()).hasSize(9);
        assertThat(in.read()).isEqualTo(-1);
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    /** Returns at most {@code step} bytes per read, like a network stream. */
    static final class TrickleInputStream extends ByteArrayInputStream {
        private final int step;

        TrickleInputStream(byte[] data, int step) {
            super(data);
            this.step = step;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, step));
        }
    }
}
