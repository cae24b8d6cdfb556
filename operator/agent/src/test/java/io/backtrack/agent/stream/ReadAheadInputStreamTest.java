package io.backtrack.agent.stream;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadInputStreamTest {

    @Test
    void passesEveryByteInOrder() throws IOException {
        byte[] data = HoldBackInputStreamTest.randomBytes(1_234_567);
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 1000, 3, "test")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void emptySourceEndsAtOnce() throws IOException {
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(new byte[0]), 1000, 2, "test")) {
            assertThat(in.read(new byte[10])).isEqualTo(-1);
        }
    }

    @Test
    void aSourceErrorReachesTheReaderAfterTheBytesBeforeIt() throws IOException {
        byte[] data = HoldBackInputStreamTest.randomBytes(5000);
        InputStream failing = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos == data.length) {
                    throw new IOException("connection reset");
                }
                return data[pos++] & 0xff;
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing, 1000, 2, "test")) {
            byte[] got = new byte[5000];
            int n = 0;
            while (n < 5000) {
                n += in.read(got, n, 5000 - n);
            }
            assertThat(got).isEqualTo(data);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
            assertThatThrownBy(in::read).as("still failing, never a clean end").isInstanceOf(IOException.class);
        }
    }
}
