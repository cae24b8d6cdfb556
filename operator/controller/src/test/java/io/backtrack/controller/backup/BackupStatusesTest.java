package io.backtrack.controller.backup;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.controller.job.AgentResult;
import io.backtrack.controller.status.Conditions;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BackupStatusesTest {
    private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");

    @Test
    void runningThenCompletedRecordsTheArchiveTimesAndExpiry() {
        Backup backup = TestBackups.backup();
        backup.setStatus(BackupStatuses.running(backup, "orders-before-migration-5f2c1", T0));
        AgentResult result = AgentResult.parse("{\"ok\":true,\"key\":\"prod/shop/orders-before-migration\","
                + "\"archiveKey\":\"prod/shop/orders-before-migration/archive.pgdump.zst\","
                + "\"manifestKey\":\"prod/shop/orders-before-migration/manifest.json\",\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015\","
                + "\"sizeBytes\":48213,\"compression\":\"zstd\",\"format\":\"custom\",\"serverVersion\":\"15.18\","
                + "\"tables\":42,\"rows\":1234567,\"completedAt\":\"2026-11-22T02:00:12.400Z\"}");
        BackupStatus s = BackupStatuses.completed(backup, result, T0.plusSeconds(13));

        assertThat(s.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(s.startedAt()).isEqualTo("2026-11-22T02:00:00Z");
        assertThat(s.completedAt()).isEqualTo("2026-11-22T02:00:12.400Z");
        assertThat(s.durationSeconds()).isEqualTo(12.4);
        assertThat(s.archive().sha256Short()).isEqualTo("9f86d081884c");
        assertThat(s.archive().size()).isEqualTo("47.1 KiB");
        assertThat(s.archive().bucket()).isEqualTo("db-backups");
        assertThat(s.database().rows()).isEqualTo(1234567L);
        assertThat(s.expiresAt()).isEqualTo("2026-12-22T02:00:12.400Z");
        assertThat(Conditions.find(s.conditions(), "Ready").getStatus()).isEqualTo("True");
        assertThat(s.observedGeneration()).isEqualTo(1L);
    }

    @Test
    void failedKeepsReasonAndTransitionTimeOnlyMovesOnChange() {
        Backup backup = TestBackups.backup();
        backup.setStatus(BackupStatuses.pending(backup, "SecretNotFound", "Secret shop/orders-db does not exist", T0));
        backup.setStatus(BackupStatuses.failed(backup, "DatabaseAuthFailed", "password authentication failed", T0.plusSeconds(5)));
        var ready = Conditions.find(backup.getStatus().conditions(), "Ready");
        assertThat(backup.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(ready.getReason()).isEqualTo("DatabaseAuthFailed");
        assertThat(ready.getLastTransitionTime()).isEqualTo(T0.toString());
    }
}
