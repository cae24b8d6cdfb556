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

    /** type → status/reason of every condition */
    private static java.util.Map<String, String> kstatus(BackupStatus s) {
        return s.conditions().stream().collect(java.util.stream.Collectors.toMap(c -> c.getType(),
                c -> c.getStatus() + "/" + c.getReason()));
    }

    @Test
    void whileItWaitsOrRunsItIsReconcilingAndNotCompleted() {
        Backup backup = TestBackups.backup();
        BackupStatus queued = new BackupStatusDraft(backup).pending(ConditionReason.Queued, "waiting for a slot", T0).build();
        assertThat(kstatus(queued)).containsOnly(java.util.Map.entry("Ready", "False/Queued"),
                java.util.Map.entry("Reconciling", "True/Queued"), java.util.Map.entry("Stalled", "False/Queued"),
                java.util.Map.entry("Completed", "False/Queued"));
        backup.setStatus(queued);
        BackupStatus running = new BackupStatusDraft(backup).running("orders-5f2c1", T0.plusSeconds(1)).build();
        assertThat(kstatus(running)).containsEntry("Reconciling", "True/Running").containsEntry("Completed", "False/Running");
        assertThat(running.conditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
    }

    @Test
    void aFailedBackupIsStalledAndCompletedWithReasonFailed() {
        Backup backup = TestBackups.backup();
        backup.setStatus(new BackupStatusDraft(backup).running("orders-5f2c1", T0).build());
        BackupStatus failed = new BackupStatusDraft(backup).failed("BucketNotFound", "no bucket db-backups", T0.plusSeconds(3)).build();
        assertThat(kstatus(failed)).containsOnly(java.util.Map.entry("Ready", "False/BucketNotFound"),
                java.util.Map.entry("Reconciling", "False/BucketNotFound"), java.util.Map.entry("Stalled", "True/BucketNotFound"),
                java.util.Map.entry("Completed", "True/Failed"));
        assertThat(Conditions.find(failed.conditions(), ConditionType.Completed).getMessage()).isEqualTo("no bucket db-backups");
        assertThat(Conditions.find(failed.conditions(), ConditionType.Completed).getLastTransitionTime())
                .isEqualTo(T0.plusSeconds(3).toString());
    }

    @Test
    void aCompletedBackupIsReadyAndCompletedWithReasonSucceeded() {
        Backup backup = TestBackups.backup();
        BackupResult result = ResultLine.parse("{\"ok\":true,\"key\":\"k\",\"archiveKey\":\"k/a\",\"sizeBytes\":1}")
                .as(BackupResult.class);
        BackupStatus done = new BackupStatusDraft(backup).completed(result, T0).build();
        assertThat(kstatus(done)).containsOnly(java.util.Map.entry("Ready", "True/Completed"),
                java.util.Map.entry("Reconciling", "False/Completed"), java.util.Map.entry("Stalled", "False/Completed"),
                java.util.Map.entry("Completed", "True/Succeeded"));
    }

    @Test
    void aFinishedStatusOfAnOlderOperatorGetsTheConditionsItsPhaseImpliesOnce() {
        Backup backup = TestBackups.backup();
        var oldReady = new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("Ready").withStatus("False")
                .withReason("DumpFailed").withMessage("pg_dump failed").withLastTransitionTime(T0.toString())
                .withObservedGeneration(1L).build();
        backup.setStatus(new BackupStatus(BackupPhase.Failed, "pg_dump failed", T0.toString(), T0.toString(), 0.0, "j",
                null, null, null, java.util.List.of(oldReady), 1L, null));

        BackupStatus settled = new BackupStatusDraft(backup).settled(T0.plusSeconds(60)).orElseThrow();

        assertThat(kstatus(settled)).containsEntry("Stalled", "True/DumpFailed").containsEntry("Completed", "True/Failed")
                .containsEntry("Ready", "False/DumpFailed");
        assertThat(Conditions.find(settled.conditions(), ConditionType.Ready).getLastTransitionTime()).isEqualTo(T0.toString());
        backup.setStatus(settled);
        assertThat(new BackupStatusDraft(backup).settled(T0.plusSeconds(61))).isEmpty();
    }

    @Test
    void aReconcileErrorIsReconcilingWhileRetriedThenStalledAndLeavesThePhase() {
        Backup backup = TestBackups.backup();
        backup.setStatus(new BackupStatusDraft(backup).running("orders-5f2c1", T0).build());
        BackupStatusDraft draft = new BackupStatusDraft(backup);
        draft.reconcileError("the API server refused a request (HTTP 403): jobs is forbidden", false, T0.plusSeconds(1));
        BackupStatus retrying = draft.build();
        assertThat(retrying.phase()).isEqualTo(BackupPhase.Running);
        assertThat(kstatus(retrying)).containsEntry("Reconciling", "True/ReconcileError").containsEntry("Ready", "False/ReconcileError")
                .containsEntry("Stalled", "False/ReconcileError").containsEntry("Completed", "False/Running");
        assertThat(Conditions.find(retrying.conditions(), ConditionType.Reconciling).getMessage()).endsWith("; retrying");
        draft.reconcileError("the API server refused a request (HTTP 403): jobs is forbidden", true, T0.plusSeconds(2));
        assertThat(kstatus(draft.build())).containsEntry("Stalled", "True/ReconcileError").containsEntry("Reconciling", "False/ReconcileError");
    }
}
