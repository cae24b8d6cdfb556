package io.backtrack.agent.stream;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.backtrack.contract.wire.ArchiveCompression;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The streams of each {@link ArchiveCompression} (whose levels and defaults are the contract's). pg_dump runs with
 * {@code -Z0} and the agent compresses, so the stored object is a stock {@code .zst}/{@code .gz} of a custom-format
 * dump: {@code zstd -d < archive | pg_restore -l} works without us.
 */
public final class Compressors {
    private Compressors() {
    }

    public static OutputStream compress(ArchiveCompression compression, OutputStream out, Integer level, int workers)
            throws IOException {
        return compress(compression, out, level, workers, 0);
    }

    /**
     * {@code workers} zstd threads compress beside the writer (0: in the writer's thread); {@code jobSize} bytes
     * per zstd job (0: zstd's default, 4 windows), which with the workers bounds zstd's native memory.
     */
    public static OutputStream compress(ArchiveCompression compression, OutputStream out, Integer level, int workers,
                                        int jobSize) throws IOException {
        return switch (compression) {
            case ZSTD -> {
                ZstdOutputStream z = new ZstdOutputStream(out, level);
                if (workers > 0) {
                    z.setWorkers(workers);
                    if (jobSize > 0) {
                        z.setJobSize(jobSize);
                    }
                }
                yield z;
            }
            case GZIP -> new LeveledGzipOutputStream(out, level);
            case NONE -> new PassThroughStream(out);
        };
    }

    public static InputStream decompress(ArchiveCompression compression, InputStream in) throws IOException {
        return switch (compression) {
            case ZSTD -> new ZstdInputStream(in);
            case GZIP -> new GZIPInputStream(in, 64 * 1024);
            case NONE -> in;
        };
    }

    /** The stored archive's bytes as the dump they hold: its compression follows its key's suffix. */
    public static InputStream decompressArchive(String archiveKey, InputStream stored) throws IOException {
        return decompress(ArchiveCompression.ofArchive(archiveKey), stored);
    }

    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }

    /** {@code none}: a pass-through whose close() closes the target like the compressors do. */
    private static final class PassThroughStream extends FilterOutputStream {
        PassThroughStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
