package io.backtrack.controller.schedule;

import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleSpec;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleStatusesTest {
    static final Instant NOW = Instant.parse("2026-11-22T02:00:05Z");
    static final Instant NEXT = Instant.parse("2026-11-22T03:00:00Z");

    static Condition condition(io.backtrack.api.schedule.BackupScheduleStatus s, String type) {
        return s.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    static ScheduleStatuses.Observed observed(List<ScheduleRun> runs) {
        return new ScheduleStatuses.Observed("2026-11-22T02:00:00Z", NEXT, runs, null, null, 0, null);
    }

    @Test
    void aRunThatCouldNotStartIsTheLastFailedBackupWithItsReason() throws Exception {
        BackupSchedule s = TestSchedules.schedule();
        ScheduleRun blocked = ScheduleRun.of(ScheduleRunTest.backup(BackupPhase.Pending, null, "SecretNotFound"));
        var status = ScheduleStatuses.valid(s, CronSchedule.parse("0 * * * *", ZoneOffset.UTC, "shop", "s"), observed(List.of(blocked)), NOW);
        assertThat(status.nextScheduleTime()).isEqualTo(NEXT.toString());
        assertThat(status.lastFailedBackup()).isEqualTo(blocked.name());
        assertThat(status.lastSuccessfulBackup()).isNull();
        assertThat(condition(status, "LastBackupSucceeded").getStatus()).isEqualTo("False");
        assertThat(condition(status, "LastBackupSucceeded").getReason()).isEqualTo("SecretNotFound");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("Scheduled");
        assertThat(condition(status, "Ready").getMessage()).isEqualTo("next run at 2026-11-22T03:00:00Z (0 * * * * in Z)");
    }

    @Test
    void aSuspendedScheduleIsReadyWithReasonSuspended() throws Exception {
        BackupSchedule s = TestSchedules.schedule();
        var spec = s.getSpec();
        s.setSpec(new BackupScheduleSpec(spec.schedule(), spec.timeZone(), true, null, null, spec.backupTemplate(), null, null));
        var status = ScheduleStatuses.valid(s, CronSchedule.parse("0 * * * *", ZoneOffset.UTC, "shop", "s"), observed(List.of()), NOW);
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("Suspended");
        assertThat(condition(status, "LastBackupSucceeded")).isNull();
        assertThat(status.nextScheduleTime()).isNotNull();
    }

    @Test
    void anInvalidScheduleHasNoNextTime() {
        var status = ScheduleStatuses.invalid(TestSchedules.schedule(), new ScheduleProblem("UnknownTimeZone", "timeZone \"x\" ..."), NOW);
        assertThat(status.nextScheduleTime()).isNull();
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("UnknownTimeZone");
        assertThat(status.observedGeneration()).isEqualTo(1L);
    }
}
