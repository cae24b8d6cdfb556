package io.backtrack.controller.schedule;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleSpec;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleStatusDraftTest {
    static final Instant NOW = Instant.parse("2026-11-22T02:00:05Z");
    static final Instant NEXT = Instant.parse("2026-11-22T03:00:00Z");

    static Condition condition(io.backtrack.api.schedule.BackupScheduleStatus s, String type) {
        return s.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }


    @Test
    void aRunThatCouldNotStartIsTheLastFailedBackupWithItsReason() throws Exception {
        BackupSchedule s = TestSchedules.schedule();
        ScheduleRun blocked = ScheduleRun.of(ScheduleRunTest.backup(BackupPhase.Pending, null, "SecretNotFound"));
        var status = new ScheduleStatusDraft(s).valid(CronSchedule.parse("0 * * * *", ZoneOffset.UTC, "shop", "s"), NEXT,
                List.of(blocked), NOW).build();
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
        var status = new ScheduleStatusDraft(s).valid(CronSchedule.parse("0 * * * *", ZoneOffset.UTC, "shop", "s"), NEXT,
                List.of(), NOW).build();
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("Suspended");
        assertThat(condition(status, "LastBackupSucceeded")).isNull();
        assertThat(status.nextScheduleTime()).isNotNull();
    }

    @Test
    void runsStartedSkippedAndPassedOverAreCounted() throws Exception {
        BackupSchedule s = TestSchedules.schedule();
        Instant due = Instant.parse("2026-11-22T02:00:00Z");
        var status = new ScheduleStatusDraft(s).passedOver(2).skipped(due, "ConcurrencyForbid", "skipped")
                .active(List.of("nightly-1")).valid(CronSchedule.parse("0 * * * *", ZoneOffset.UTC, "shop", "s"), NEXT,
                        List.of(), NOW).build();
        assertThat(status.skippedRuns()).isEqualTo(3L);
        assertThat(status.lastScheduleTime()).isEqualTo(due.toString());
        assertThat(status.lastSkippedRun().reason()).isEqualTo("ConcurrencyForbid");
        assertThat(status.active()).containsExactly("nightly-1");
        assertThat(new ScheduleStatusDraft(s).passedOver(0).active(List.of()).build().active()).isNull();
    }

    @Test
    void anInvalidScheduleHasNoNextTime() {
        var status = new ScheduleStatusDraft(TestSchedules.schedule())
                .invalid(new ScheduleProblem(ConditionReason.UnknownTimeZone, "timeZone \"x\" ..."), NOW).build();
        assertThat(status.nextScheduleTime()).isNull();
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("UnknownTimeZone");
        assertThat(status.observedGeneration()).isEqualTo(1L);
    }
}
