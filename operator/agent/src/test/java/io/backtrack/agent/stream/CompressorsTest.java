package io.backtrack.agent.stream;

import io.backtrack.contract.wire.ArchiveCompression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CompressorsTest {

    @ParameterizedTest
    @EnumSource(ArchiveCompression.class)
    void roundTrips(ArchiveCompression compression) throws Exception {
        byte[] data = "PGDMP some dump bytes ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = Compressors.compress(compression, stored, compression.effectiveLevel(null), 2)) {
            out.write(data);
        }
        if (compression != ArchiveCompression.NONE) {
            assertThat(stored.size()).isLessThan(data.length / 10);
        }
        assertThat(Compressors.decompress(compression, new ByteArrayInputStream(stored.toByteArray())).readAllBytes())
                .isEqualTo(data);
    }
}
