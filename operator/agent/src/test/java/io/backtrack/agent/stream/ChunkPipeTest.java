package io.backtrack.agent.stream;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkPipeTest {

    @Test
    void carriesBytesInOrderThroughABoundedQueue() throws Exception {
        ChunkPipe pipe = new ChunkPipe(1000, 2);
        byte[] data = HoldBackInputStreamTest.randomBytes(123_457);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = pipe.outputStream()) {
                for (int i = 0; i < data.length; i += 333) {
                    out.write(data, i, Math.min(333, data.length - i));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (InputStream in = pipe.inputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        writer.get(5, TimeUnit.SECONDS);
    }

    @Test
    void failMakesTheReaderThrowInsteadOfEndingCleanly() throws Exception {
        ChunkPipe pipe = new ChunkPipe(10, 4);
        OutputStream out = pipe.outputStream();
        out.write(new byte[25]);
        pipe.fail(new IOException("pg_dump exited with status 1"));
        InputStream in = pipe.inputStream();
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("pg_dump exited");
    }

    @Test
    void cancelUnblocksAWriterStuckOnAFullQueue() throws Exception {
        ChunkPipe pipe = new ChunkPipe(10, 1);
        CompletableFuture<Throwable> writer = CompletableFuture.supplyAsync(() -> {
            try (OutputStream out = pipe.outputStream()) {
                while (true) {
                    out.write(new byte[10]);
                }
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(100);
        pipe.cancel(new IOException("upload failed: NoSuchBucket"));
        assertThat(writer.get(5, TimeUnit.SECONDS)).hasMessageContaining("upload failed");
    }
}
