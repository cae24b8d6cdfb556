package io.backtrack.agent.manifest;

/** {@code {"algorithm": "zstd", "level": 3}}; level is null for {@code none}. */
public record CompressionSpec(String algorithm, Integer level) {
}
