package io.backtrack.controller.schedule;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.schedule.RetentionPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleValidatorTest {

    static ScheduleProblem problem(io.backtrack.api.schedule.BackupSchedule s) {
        return ScheduleValidator.validate(s).problem().orElseThrow(() -> new AssertionError("expected a problem"));
    }

    @Test
    void aValidScheduleParses() {
        var result = ScheduleValidator.validate(TestSchedules.schedule());
        assertThat(result.problem()).isEmpty();
        assertThat(result.valid().orElseThrow().cron().zone().getId()).isEqualTo("Europe/Berlin");
    }

    @Test
    void invalidCron() {
        var p = problem(TestSchedules.schedule("0 25 * * *", null, null, TestSchedules.backupSpec(null)));
        assertThat(p.reason()).isEqualTo(ConditionReason.InvalidSchedule);
        assertThat(p.message()).contains("\"0 25 * * *\" is not a valid cron expression");
    }

    @Test
    void unknownTimeZone() {
        var p = problem(TestSchedules.schedule("0 2 * * *", "Europe/Atlantis", null, TestSchedules.backupSpec(null)));
        assertThat(p.reason()).isEqualTo(ConditionReason.UnknownTimeZone);
        assertThat(p.message()).contains("Europe/Atlantis");
    }

    @Test
    void negativeKeepValues() {
        var p = problem(TestSchedules.schedule("0 2 * * *", null, new RetentionPolicy(-1, null, 7, null, null, -2, "30d"),
                TestSchedules.backupSpec(null)));
        assertThat(p.reason()).isEqualTo(ConditionReason.InvalidSpec);
        assertThat(p.message()).contains("retention.keepLast must not be negative, got -1")
                .contains("retention.keepYearly must not be negative, got -2")
                .contains("retention.maxAge \"30d\" is not a duration");
    }

    @Test
    void aTemplateThatIsNotAValidBackupSpec() {
        BackupSpec t = TestSchedules.backupSpec(null);
        BackupSpec bad = new BackupSpec(null, t.database(), new io.backtrack.api.storage.StorageSpec(null), null, null, null, "1 day", null, null);
        var p = problem(TestSchedules.schedule("0 2 * * *", null, null, bad));
        assertThat(p.reason()).isEqualTo(ConditionReason.InvalidSpec);
        assertThat(p.message()).contains("backupTemplate.spec: spec.storage.s3 is required").contains("ttl \"1 day\"");
    }
}
