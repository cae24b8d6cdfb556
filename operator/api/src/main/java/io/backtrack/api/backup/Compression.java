package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.contract.wire.ArchiveCompression;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Compression of the archive. The levels, their ranges and the defaults are the contract's
 * ({@link ArchiveCompression}): the CRD's rule, its descriptions, the operator's check and the agent all read them.
 */
@ValidationRule(value = "!has(self.level) || (has(self.algorithm) && self.algorithm == 'gzip' ? self.level >= "
        + ArchiveCompression.GZIP_MIN_LEVEL + " && self.level <= " + ArchiveCompression.GZIP_MAX_LEVEL
        + " : (has(self.algorithm) && self.algorithm == 'none' ? false : self.level >= "
        + ArchiveCompression.ZSTD_MIN_LEVEL + " && self.level <= " + ArchiveCompression.ZSTD_MAX_LEVEL + "))",
        message = "compression level must be " + ArchiveCompression.ZSTD_MIN_LEVEL + "-" + ArchiveCompression.ZSTD_MAX_LEVEL
                + " for zstd, " + ArchiveCompression.GZIP_MIN_LEVEL + "-" + ArchiveCompression.GZIP_MAX_LEVEL
                + " for gzip, and absent for none")
public record Compression(
        @JsonPropertyDescription("zstd (default), gzip or none.")
        CompressionAlgorithm algorithm,
        @JsonPropertyDescription("Compression level: " + ArchiveCompression.ZSTD_MIN_LEVEL + "-"
                + ArchiveCompression.ZSTD_MAX_LEVEL + " for zstd (default " + ArchiveCompression.ZSTD_DEFAULT_LEVEL
                + ": as small as level 3 on typical dumps, at half the CPU), " + ArchiveCompression.GZIP_MIN_LEVEL + "-"
                + ArchiveCompression.GZIP_MAX_LEVEL + " for gzip (default " + ArchiveCompression.GZIP_DEFAULT_LEVEL + ").")
        Integer level) {

    /** What a Backup without a compression block gets: zstd at the contract's default level. */
    public static final Compression DEFAULT = new Compression(CompressionAlgorithm.zstd, ArchiveCompression.ZSTD_DEFAULT_LEVEL);

    public CompressionAlgorithm algorithmOrDefault() {
        return algorithm == null ? CompressionAlgorithm.zstd : algorithm;
    }
}
