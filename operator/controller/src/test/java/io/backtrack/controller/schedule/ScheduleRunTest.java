package io.backtrack.controller.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleRunTest {

    static Backup backup(BackupPhase phase, String jobName, String reason) {
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName("s-20261122-010000").withNamespace("shop")
                .withAnnotations(Map.of(BacktrackApi.SCHEDULED_AT_ANNOTATION, "2026-11-22T01:00:00Z")).build());
        b.setSpec(TestSchedules.backupSpec(null));
        if (phase != null) {
            b.setStatus(new BackupStatus(phase, "m", null, null, null, jobName, null, null, null,
                    reason == null ? null : List.of(new ConditionBuilder().withType("Ready").withStatus("False").withReason(reason).build()),
                    1L, null));
        }
        return b;
    }

    @Test
    void statesFromTheBackupsPhase() {
        assertThat(ScheduleRun.of(backup(null, null, null)).state()).isEqualTo(ScheduleRun.State.ACTIVE);
        assertThat(ScheduleRun.of(backup(BackupPhase.Running, "j", "Running")).state()).isEqualTo(ScheduleRun.State.ACTIVE);
        assertThat(ScheduleRun.of(backup(BackupPhase.Completed, "j", null)).state()).isEqualTo(ScheduleRun.State.COMPLETED);
        assertThat(ScheduleRun.of(backup(BackupPhase.Failed, "j", "DatabaseAuthFailed")).state()).isEqualTo(ScheduleRun.State.FAILED);
        assertThat(ScheduleRun.of(backup(BackupPhase.Failed, "j", "x")).scheduledAt()).isEqualTo(Instant.parse("2026-11-22T01:00:00Z"));
    }

    @Test
    void aBackupThatCannotStartIsAFailedRunNotAnActiveOne() {
        ScheduleRun run = ScheduleRun.of(backup(BackupPhase.Pending, null, "SecretNotFound"));
        assertThat(run.state()).isEqualTo(ScheduleRun.State.BLOCKED);
        assertThat(run.failed()).isTrue();
        assertThat(run.failureReason()).contains("SecretNotFound");
        assertThat(run.candidate()).hasValueSatisfying(c -> assertThat(c.outcome().name()).isEqualTo("FAILED"));
    }

    @Test
    void aBackupWaitingInTheQueueIsAnActiveRunNotAFailedOne() {
        ScheduleRun run = ScheduleRun.of(backup(BackupPhase.Pending, null, "Queued"));
        assertThat(run.state()).isEqualTo(ScheduleRun.State.ACTIVE);
        assertThat(run.failed()).isFalse();
        assertThat(run.candidate()).isEmpty();
    }

    @Test
    void aBackupBeingDeletedIsNeitherActiveNorACandidate() {
        Backup b = backup(BackupPhase.Completed, "j", null);
        b.getMetadata().setDeletionTimestamp("2026-11-22T03:00:00Z");
        assertThat(ScheduleRun.of(b).state()).isEqualTo(ScheduleRun.State.DELETING);
        assertThat(ScheduleRun.of(b).candidate()).isEmpty();
    }

    @Test
    void theScheduleIsToldOfAnUpdateOnlyWhenWhatItSeesOfTheRunChanges() {
        Backup created = backup(null, null, null);
        Backup running = backup(BackupPhase.Running, "j", "Running");
        assertThat(ScheduleRun.changesItsSchedule(created, running)).as("Job created, still active").isFalse();
        Backup restamped = backup(BackupPhase.Running, "j", "Running");
        restamped.getMetadata().setResourceVersion("42");
        assertThat(ScheduleRun.changesItsSchedule(running, restamped)).isFalse();

        assertThat(ScheduleRun.changesItsSchedule(running, backup(BackupPhase.Completed, "j", null))).isTrue();
        assertThat(ScheduleRun.changesItsSchedule(running, backup(BackupPhase.Failed, "j", "DatabaseAuthFailed"))).isTrue();
        assertThat(ScheduleRun.changesItsSchedule(created, backup(BackupPhase.Pending, null, "SecretNotFound"))).isTrue();
        assertThat(ScheduleRun.changesItsSchedule(backup(BackupPhase.Failed, "j", "DatabaseAuthFailed"),
                backup(BackupPhase.Failed, "j", "DatabaseNotFound"))).as("another failure reason").isTrue();
        Backup deleting = backup(BackupPhase.Running, "j", "Running");
        deleting.getMetadata().setDeletionTimestamp("2026-11-22T03:00:00Z");
        assertThat(ScheduleRun.changesItsSchedule(running, deleting)).isTrue();
        Backup completed = backup(BackupPhase.Completed, "j", null);
        Backup protectedByRestore = backup(BackupPhase.Completed, "j", null);
        protectedByRestore.getMetadata().setFinalizers(List.of(BacktrackApi.RESTORE_PROTECTION_FINALIZER));
        assertThat(ScheduleRun.changesItsSchedule(completed, protectedByRestore)).as("retention must see the protection")
                .isTrue();
    }
}
