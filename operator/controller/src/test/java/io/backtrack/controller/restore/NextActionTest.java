package io.backtrack.controller.restore;

import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NextActionTest {

    @Test
    void theWorkloadsStopBeforeTheSafetyBackupWhichComesBeforeTheRestore() {
        assertThat(NextAction.next(true, false, true, false)).isEqualTo(NextAction.QUIESCE);
        assertThat(NextAction.next(true, true, true, false)).isEqualTo(NextAction.SAFETY_BACKUP);
        assertThat(NextAction.next(true, true, true, true)).isEqualTo(NextAction.RESTORE);
        assertThat(NextAction.next(false, false, true, false)).isEqualTo(NextAction.SAFETY_BACKUP);
        assertThat(NextAction.next(false, false, false, false)).isEqualTo(NextAction.RESTORE);
        assertThat(NextAction.next(true, false, false, false)).isEqualTo(NextAction.QUIESCE);
        assertThat(NextAction.next(true, true, false, false)).isEqualTo(NextAction.RESTORE);
    }

    @Test
    void aRestoreAnOlderOperatorBeganWithItsSafetyBackupStillQuiescesBeforeRestoring() {
        assertThat(NextAction.next(true, false, true, true)).isEqualTo(NextAction.QUIESCE);
    }

    @Test
    void deletingARunningRestoreStopsItsJobFirstThenResumes() {
        Job running = new JobBuilder().withNewMetadata().withName("r").endMetadata().withNewStatus().withActive(1).endStatus().build();
        Job done = new JobBuilder().withNewMetadata().withName("c").endMetadata().withNewStatus().addNewCondition()
                .withType("Complete").withStatus("True").endCondition().endStatus().build();
        assertThat(RestoreDeletion.step(status(RestorePhase.Restoring), List.of(done, running))).isEqualTo(RestoreDeletion.Action.STOP_JOBS);
        assertThat(RestoreDeletion.step(status(RestorePhase.Quiescing), List.of(done))).isEqualTo(RestoreDeletion.Action.RESUME);
        assertThat(RestoreDeletion.step(status(RestorePhase.SafetyBackup), List.of())).isEqualTo(RestoreDeletion.Action.RESUME);
        assertThat(RestoreDeletion.step(status(RestorePhase.Completed), List.of(running))).isEqualTo(RestoreDeletion.Action.NOTHING);
        assertThat(RestoreDeletion.step(status(RestorePhase.Failed), List.of())).isEqualTo(RestoreDeletion.Action.NOTHING);
        assertThat(RestoreDeletion.step(null, List.of())).isEqualTo(RestoreDeletion.Action.NOTHING);
    }

    private static RestoreStatus status(RestorePhase phase) {
        return new RestoreStatus(phase, null, null, "db:5432/orders", null, null, null, null, null, null, null,
                "2026-11-22T03:00:00Z", null, null, null, null);
    }
}
