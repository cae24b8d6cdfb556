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

    @Test
    void closingEarlyNeverClosesTheSourceUnderARunningReadNorInterruptsIt() throws Exception {
        // A source that is slow to read (as a download is) and records what close() finds.
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean closedDuringRead = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();
        InputStream slow = new InputStream() {
            @Override
            public int read() {
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                reading.set(true);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw new java.io.InterruptedIOException("interrupted");
                } finally {
                    reading.set(false);
                }
                return Math.min(len, 100);
            }

            @Override
            public void close() {
                closedDuringRead.compareAndSet(false, reading.get());
                closes.incrementAndGet();
            }
        };
        for (int round = 0; round < 20; round++) {
            ReadAheadInputStream in = new ReadAheadInputStream(slow, 1000, 2, "test");
            assertThat(in.read(new byte[10])).isEqualTo(10);
            long started = System.nanoTime();
            in.close();
            assertThat(System.nanoTime() - started).as("close waits only for the read in progress")
                    .isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(1));
        }
        assertThat(closes.get()).isEqualTo(20);
        assertThat(closedDuringRead.get()).as("closed while the background thread was reading").isFalse();
        assertThat(interrupted.get()).as("a read interrupted").isFalse();
    }

    @Test
    void closingAStreamNobodyReadsStopsTheBackgroundThreadWaitingForRoom() throws IOException {
        byte[] data = HoldBackInputStreamTest.randomBytes(100_000);
        ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 1000, 2, "test");
        long started = System.nanoTime();
        in.close(); // the pool is full and nobody reads: the background thread waits for room
        assertThat(System.nanoTime() - started).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(1));
    }
}
