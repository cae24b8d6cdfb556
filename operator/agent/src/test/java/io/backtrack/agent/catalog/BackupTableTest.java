package io.backtrack.agent.catalog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackupTableTest {
    @Test
    void humanSizes() {
        assertThat(BackupTable.humanSize(0)).isEqualTo("0 B");
        assertThat(BackupTable.humanSize(1023)).isEqualTo("1023 B");
        assertThat(BackupTable.humanSize(1536)).isEqualTo("1.5 KiB");
        assertThat(BackupTable.humanSize(48L * 1024 * 1024 + 200 * 1024)).isEqualTo("48.2 MiB");
        assertThat(BackupTable.humanSize(3L * 1024 * 1024 * 1024 * 1024)).isEqualTo("3.0 TiB");
    }
}
