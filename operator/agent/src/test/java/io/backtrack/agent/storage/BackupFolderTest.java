package io.backtrack.agent.storage;

import io.backtrack.agent.stream.Compression;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupFolderTest {

    @Test
    void namesTheObjectsOfAFolder() {
        BackupFolder folder = new BackupFolder("/prod/shop/orders-nightly/");
        assertThat(folder.key()).isEqualTo("prod/shop/orders-nightly");
        assertThat(folder.manifestKey()).isEqualTo("prod/shop/orders-nightly/manifest.json");
        assertThat(folder.archiveKey(Compression.ZSTD)).isEqualTo("prod/shop/orders-nightly/archive.pgdump.zst");
        assertThat(folder.archiveKey(Compression.GZIP)).isEqualTo("prod/shop/orders-nightly/archive.pgdump.gz");
        assertThat(folder.archiveKey(Compression.NONE)).isEqualTo("prod/shop/orders-nightly/archive.pgdump");
    }

    @Test
    void compressionFollowsTheArchiveName() {
        assertThat(BackupFolder.compressionOf("a/archive.pgdump.zst")).isEqualTo(Compression.ZSTD);
        assertThat(BackupFolder.compressionOf("a/archive.pgdump.gz")).isEqualTo(Compression.GZIP);
        assertThat(BackupFolder.compressionOf("a/archive.pgdump")).isEqualTo(Compression.NONE);
    }

    @Test
    void anEmptyKeyIsRefused() {
        assertThatThrownBy(() -> new BackupFolder(" / ")).isInstanceOf(IllegalArgumentException.class);
    }
}
