package io.backtrack.api.backup;

/**
 * How the archive is compressed. The archive stays a stock artifact: {@code zstd -d | pg_restore} reads it. The same
 * names as the agent's {@code --compression} ({@code io.backtrack.contract.wire.ArchiveCompression}).
 */
public enum CompressionAlgorithm {
    zstd, gzip, none
}
