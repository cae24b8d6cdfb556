package io.backtrack.agent.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressionTest {

    @Test
    void levelsAreValidatedPerAlgorithm() {
        assertThat(Compression.ZSTD.effectiveLevel(null)).isEqualTo(1);
        assertThat(Compression.ZSTD.effectiveLevel(22)).isEqualTo(22);
        assertThat(Compression.GZIP.effectiveLevel(null)).isEqualTo(6);
        assertThat(Compression.NONE.effectiveLevel(null)).isNull();
        assertThatThrownBy(() -> Compression.ZSTD.effectiveLevel(0)).hasMessageContaining("1..22");
        assertThatThrownBy(() -> Compression.ZSTD.effectiveLevel(23)).hasMessageContaining("1..22");
        assertThatThrownBy(() -> Compression.GZIP.effectiveLevel(10)).hasMessageContaining("1..9");
        assertThatThrownBy(() -> Compression.NONE.effectiveLevel(1)).hasMessageContaining("--compression none");
        assertThatThrownBy(() -> Compression.parse("lz4")).hasMessageContaining("zstd, gzip or none");
        assertThat(Compression.parse("ZSTD")).isEqualTo(Compression.ZSTD);
    }

    @Test
    void extensionsNameTheArchive() {
        assertThat(Compression.ZSTD.extension()).isEqualTo(".pgdump.zst");
        assertThat(Compression.GZIP.extension()).isEqualTo(".pgdump.gz");
        assertThat(Compression.NONE.extension()).isEqualTo(".pgdump");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTrips(Compression compression) throws Exception {
        byte[] data = "PGDMP some dump bytes ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = compression.compress(stored, compression.effectiveLevel(null), 2)) {
            out.write(data);
        }
        if (compression != Compression.NONE) {
            assertThat(stored.size()).isLessThan(data.length / 10);
        }
        assertThat(compression.decompress(new ByteArrayInputStream(stored.toByteArray())).readAllBytes()).isEqualTo(data);
    }
}
