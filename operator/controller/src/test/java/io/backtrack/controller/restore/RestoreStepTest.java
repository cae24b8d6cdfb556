package io.backtrack.controller.restore;

import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreStepTest {

    @Test
    void theWorkloadsStopBeforeTheSafetyBackupWhichComesBeforeTheRestore() {
        assertThat(RestoreStep.next(true, false, true, false)).isEqualTo(RestoreStep.QUIESCE);
        assertThat(RestoreStep.next(true, true, true, false)).isEqualTo(RestoreStep.SAFETY_BACKUP);
        assertThat(RestoreStep.next(true, true, true, true)).isEqualTo(RestoreStep.RESTORE);
        assertThat(RestoreStep.next(false, false, true, false)).isEqualTo(RestoreStep.SAFETY_BACKUP);
        assertThat(RestoreStep.next(false, false, false, false)).isEqualTo(RestoreStep.RESTORE);
        assertThat(RestoreStep.next(true, false, false, false)).isEqualTo(RestoreStep.QUIESCE);
        assertThat(RestoreStep.next(true, true, false, false)).isEqualTo(RestoreStep.RESTORE);
    }

    @Test
    void aRestoreAnOlderOperatorBeganWithItsSafetyBackupStillQuiescesBeforeRestoring() {
        assertThat(RestoreStep.next(true, false, true, true)).isEqualTo(RestoreStep.QUIESCE);
    }

    @Test
    void deletingARunningRestoreStopsItsJobFirstThenResumes() {
        Job running = new JobBuilder().withNewMetadata().withName("r").endMetadata().withNewStatus().withActive(1).endStatus().build();
        Job done = new JobBuilder().withNewMetadata().withName("c").endMetadata().withNewStatus().addNewCondition()
                .withType("Complete").withStatus("True").endCondition().endStatus().build();
        assertThat(RestoreDeletion.step(status(RestorePhase.Restoring), List.of(done, running))).isEqualTo(RestoreDeletion.Step.STOP_JOBS);
        assertThat(RestoreDeletion.step(status(RestorePhase.Quiescing), List.of(done))).isEqualTo(RestoreDeletion.Step.RESUME);
        assertThat(RestoreDeletion.step(status(RestorePhase.SafetyBackup), List.of())).isEqualTo(RestoreDeletion.Step.RESUME);
        assertThat(RestoreDeletion.step(status(RestorePhase.Completed), List.of(running))).isEqualTo(RestoreDeletion.Step.NOTHING);
        assertThat(RestoreDeletion.step(status(RestorePhase.Failed), List.of())).isEqualTo(RestoreDeletion.Step.NOTHING);
        assertThat(RestoreDeletion.step(null, List.of())).isEqualTo(RestoreDeletion.Step.NOTHING);
    }

    private static RestoreStatus status(RestorePhase phase) {
        return new RestoreStatus(phase, null, null, "db:5432/orders", null, null, null, null, null, null,
                "2026-11-22T03:00:00Z", null, null, null, null);
    }
}
