package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Compression of the archive. */
@ValidationRule(value = "!has(self.level) || (has(self.algorithm) && self.algorithm == 'gzip' ? self.level >= 1 && self.level <= 9 : (has(self.algorithm) && self.algorithm == 'none' ? false : self.level >= 1 && self.level <= 22))",
        message = "compression level must be 1-22 for zstd, 1-9 for gzip, and absent for none")
public record Compression(
        @JsonPropertyDescription("zstd (default), gzip or none.")
        CompressionAlgorithm algorithm,
        @JsonPropertyDescription("Compression level: 1-22 for zstd (default 1: as small as level 3 on typical dumps, at half the CPU), 1-9 for gzip (default 6).")
        Integer level) {

    public static final Compression DEFAULT = new Compression(CompressionAlgorithm.zstd, 3);

    public CompressionAlgorithm algorithmOrDefault() {
        return algorithm == null ? CompressionAlgorithm.zstd : algorithm;
    }
}
