package io.backtrack.agent.stream;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Archive compression. pg_dump runs with {@code -Z0} and the agent compresses, so the stored object is a stock
 * {@code .zst}/{@code .gz} of a custom-format dump: {@code zstd -d < archive | pg_restore -l} works without us.
 */
public enum Compression {
    // zstd level 1: on realistic dumps within 1% of level 3's size at half its CPU (docs/performance.md).
    ZSTD("zstd", ".pgdump.zst", 1, 22, 1),
    GZIP("gzip", ".pgdump.gz", 1, 9, 6),
    NONE("none", ".pgdump", 0, 0, 0);

    private final String id;
    private final String extension;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    Compression(String id, String extension, int minLevel, int maxLevel, int defaultLevel) {
        this.id = id;
        this.extension = extension;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    public String id() {
        return id;
    }

    /** File name suffix of the archive, e.g. {@code .pgdump.zst}. */
    public String extension() {
        return extension;
    }

    public static Compression parse(String value) {
        for (Compression c : values()) {
            if (c.id.equals(value.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + value + "': use zstd, gzip or none");
    }

    /** The effective level, or null for {@code none}; throws IllegalArgumentException for out-of-range levels. */
    public Integer effectiveLevel(Integer requested) {
        if (this == NONE) {
            if (requested != null) {
                throw new IllegalArgumentException("--level is not allowed with --compression none");
            }
            return null;
        }
        if (requested == null) {
            return defaultLevel;
        }
        if (requested < minLevel || requested > maxLevel) {
            throw new IllegalArgumentException("--level " + requested + " is out of range for " + id
                    + " (" + minLevel + ".." + maxLevel + ")");
        }
        return requested;
    }

    public OutputStream compress(OutputStream out, Integer level, int workers) throws IOException {
        return compress(out, level, workers, 0);
    }

    /**
     * {@code workers} zstd threads compress beside the writer (0: in the writer's thread); {@code jobSize} bytes
     * per zstd job (0: zstd's default, 4 windows), which with the workers bounds zstd's native memory.
     */
    public OutputStream compress(OutputStream out, Integer level, int workers, int jobSize) throws IOException {
        return switch (this) {
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

    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case ZSTD -> new ZstdInputStream(in);
            case GZIP -> new GZIPInputStream(in, 64 * 1024);
            case NONE -> in;
        };
    }

    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }

    /** {@code none}: a pass-through whose close() closes the target like the compressors do. */
    private static final class PassThroughStream extends java.io.FilterOutputStream {
        PassThroughStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
