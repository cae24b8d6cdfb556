package io.backtrack.api.backup;

/** How the archive is compressed. The archive stays a stock artifact: {@code zstd -d | pg_restore} reads it. */
public enum CompressionAlgorithm {
    zstd, gzip, none
}
