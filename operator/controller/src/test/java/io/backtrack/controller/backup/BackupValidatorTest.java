package io.backtrack.controller.backup;

import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.CompressionAlgorithm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackupValidatorTest {

    @Test
    void aCompleteSpecIsValid() {
        assertThat(BackupValidator.problems(TestBackups.backup().getSpec())).isEmpty();
    }

    @Test
    void compressionLevelsAreCheckedPerAlgorithm() {
        assertThat(BackupValidator.problems(TestBackups.spec(new Compression(CompressionAlgorithm.zstd, 23), null, null)))
                .containsExactly("compression level 23 is out of range for zstd (1-22)");
        assertThat(BackupValidator.problems(TestBackups.spec(new Compression(CompressionAlgorithm.gzip, 10), null, null)))
                .containsExactly("compression level 10 is out of range for gzip (1-9)");
        assertThat(BackupValidator.problems(TestBackups.spec(new Compression(CompressionAlgorithm.none, 1), null, null)))
                .containsExactly("compression level must be left out when algorithm is none");
        assertThat(BackupValidator.problems(TestBackups.spec(new Compression(null, 19), null, null))).isEmpty();
    }

    @Test
    void aBadTtlIsNamed() {
        assertThat(BackupValidator.problems(TestBackups.spec(null, null, "30 days")))
                .containsExactly("ttl \"30 days\" is not a duration like 720h, 90m or 1h30m (hours, minutes, seconds, "
                        + "each once, in that order)");
    }

    @Test
    void missingPiecesAreAllReported() {
        var spec = new io.backtrack.api.backup.BackupSpec(null,
                new io.backtrack.api.database.DatabaseSpec(null, "", 70000, null, null),
                new io.backtrack.api.storage.StorageSpec(new io.backtrack.api.storage.S3Storage("minio:9000", null, null, null, null, null)),
                null, null, null, null, null, null);
        assertThat(BackupValidator.problems(spec)).containsExactlyInAnyOrder(
                "database.host is required",
                "database.database is required",
                "database.port 70000 is not a TCP port (1-65535)",
                "database.credentialsSecret.name is required",
                "storage.s3.endpoint must be an http:// or https:// URL, got \"minio:9000\"",
                "storage.s3.bucket is required",
                "storage.s3.credentialsSecret.name is required");
    }
}
