package io.backtrack.controller.backup;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.contract.result.ResultLine;
import io.backtrack.controller.status.Conditions;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BackupStatusDraftTest {
    private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");

    @Test
    void runningThenCompletedRecordsTheArchiveTimesAndExpiry() {
        Backup backup = TestBackups.backup();
        backup.setStatus(new BackupStatusDraft(backup).running("orders-before-migration-5f2c1", T0).build());
        BackupResult result = ResultLine.parse("{\"ok\":true,\"key\":\"prod/shop/orders-before-migration\","
                + "\"archiveKey\":\"prod/shop/orders-before-migration/archive.pgdump.zst\","
                + "\"manifestKey\":\"prod/shop/orders-before-migration/manifest.json\",\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015\","
                + "\"sizeBytes\":48213,\"compression\":\"zstd\",\"format\":\"custom\",\"serverVersion\":\"15.18\","
                + "\"tables\":42,\"rows\":1234567,\"completedAt\":\"2026-11-22T02:00:12.400Z\"}").as(BackupResult.class);
        BackupStatus s = new BackupStatusDraft(backup).completed(result, T0.plusSeconds(13)).build();

        assertThat(s.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(s.startedAt()).isEqualTo("2026-11-22T02:00:00Z");
        assertThat(s.completedAt()).isEqualTo("2026-11-22T02:00:12.400Z");
        assertThat(s.durationSeconds()).isEqualTo(12.4);
        assertThat(s.jobName()).isEqualTo("orders-before-migration-5f2c1");
        assertThat(s.archive().sha256Short()).isEqualTo("9f86d081884c");
        assertThat(s.archive().size()).isEqualTo("47.1 KiB");
        assertThat(s.archive().bucket()).isEqualTo("db-backups");
        assertThat(s.database().rows()).isEqualTo(1234567L);
        assertThat(s.database().tables()).isEqualTo(42);
        assertThat(s.expiresAt()).isEqualTo("2026-12-22T02:00:12.400Z");
        assertThat(Conditions.find(s.conditions(), ConditionType.Ready).getStatus()).isEqualTo("True");
        assertThat(Conditions.find(s.conditions(), ConditionType.Ready).getReason()).isEqualTo("Completed");
        assertThat(s.observedGeneration()).isEqualTo(1L);
    }

    @Test
    void failedKeepsReasonAndTransitionTimeOnlyMovesOnChange() {
        Backup backup = TestBackups.backup();
        backup.setStatus(new BackupStatusDraft(backup).pending(ConditionReason.SecretNotFound,
                "Secret shop/orders-db does not exist", T0).build());
        backup.setStatus(new BackupStatusDraft(backup).failed("DatabaseAuthFailed", "password authentication failed",
                T0.plusSeconds(5)).build());
        var ready = Conditions.find(backup.getStatus().conditions(), ConditionType.Ready);
        assertThat(backup.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(ready.getReason()).isEqualTo("DatabaseAuthFailed");
        assertThat(ready.getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void aDraftKnowsWhatReadySaysAlready() {
        Backup backup = TestBackups.backup();
        backup.setStatus(new BackupStatusDraft(backup).pending(ConditionReason.Queued, "waiting for a slot", T0).build());
        BackupStatusDraft draft = new BackupStatusDraft(backup);
        assertThat(draft.readySays(false, "Queued", "waiting for a slot")).isTrue();
        assertThat(draft.readySays(false, "Queued", "waiting for another slot")).isFalse();
        assertThat(draft.readyReason()).isEqualTo("Queued");
        assertThat(draft.build()).isEqualTo(backup.getStatus());
    }
}
