package io.backtrack.agent.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartWriterTest {
    private static final int MIB = 1024 * 1024;

    /** A store nothing is sent to. */
    private static ObjectStore store() {
        return new ObjectStore(new S3Location("http://127.0.0.1:9", "bucket", "us-east-1", "a", "s",
                StorageTimeouts.defaults()));
    }

    @Test
    void partsStayAtTheBaseSizeForTheFirstThousandThenGrow() {
        MultipartWriter w = new MultipartWriter(store(), "k", "application/zstd", 8 * MIB, 2);
        assertThat(w.partSize(1)).isEqualTo(8 * MIB);
        assertThat(w.partSize(1000)).isEqualTo(8 * MIB);
        assertThat(w.partSize(1001)).isEqualTo(16 * MIB);
        assertThat(w.partSize(2001)).isEqualTo(32 * MIB);
        assertThat(w.partSize(10_000)).isLessThanOrEqualTo(1024 * MIB);
    }

    @Test
    void tenThousandPartsHoldMoreThanAnyDatabaseWeBackUp() {
        MultipartWriter w = new MultipartWriter(store(), "k", "application/zstd", 8 * MIB, 2);
        long total = 0;
        for (int n = 1; n <= 10_000; n++) {
            total += w.partSize(n);
        }
        assertThat(total).isGreaterThan(3900L * 1024 * MIB); // almost 4 TiB of compressed archive
    }

    @Test
    void refusesPartsBelowTheS3Minimum() {
        assertThatThrownBy(() -> new MultipartWriter(store(), "k", "x", 4 * MIB, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
