package io.backtrack.controller.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RunPlannerTest {
    final CronSchedule hourly = parse("0 * * * *");
    static final Instant T0200 = Instant.parse("2026-11-22T02:00:00Z");

    static CronSchedule parse(String expression) {
        try {
            return CronSchedule.parse(expression, ZoneOffset.UTC, "shop", "s");
        } catch (InvalidScheduleException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void firstSightRecordsTheNextRunAndStartsNothing() {
        RunDecision d = RunPlanner.decide(hourly, null, Instant.parse("2026-11-22T01:30:00Z"), Optional.empty(), false);
        assertThat(d.start()).isEmpty();
        assertThat(d.skip()).isEmpty();
        assertThat(d.next()).isEqualTo(T0200);
    }

    @Test
    void nothingBeforeTheRecordedTime() {
        RunDecision d = RunPlanner.decide(hourly, T0200, Instant.parse("2026-11-22T01:59:59Z"), Optional.empty(), false);
        assertThat(d.start()).isEmpty();
        assertThat(d.next()).isEqualTo(T0200);
    }

    @Test
    void aDueRunStartsAndTheNextIsRecorded() {
        RunDecision d = RunPlanner.decide(hourly, T0200, Instant.parse("2026-11-22T02:00:00.300Z"), Optional.of(Duration.ofSeconds(60)), false);
        assertThat(d.start()).contains(T0200);
        assertThat(d.passedOver()).isZero();
        assertThat(d.next()).isEqualTo(Instant.parse("2026-11-22T03:00:00Z"));
    }

    @Test
    void runsMissedWhileTheOperatorWasDownAreTakenOnceWithinTheDeadline() {
        // down from 01:30 to 05:05: 02:00, 03:00, 04:00, 05:00 were due; only 05:00 is taken.
        RunDecision d = RunPlanner.decide(hourly, T0200, Instant.parse("2026-11-22T05:05:00Z"), Optional.of(Duration.ofMinutes(10)), false);
        assertThat(d.start()).contains(Instant.parse("2026-11-22T05:00:00Z"));
        assertThat(d.passedOver()).isEqualTo(3);
        assertThat(d.next()).isEqualTo(Instant.parse("2026-11-22T06:00:00Z"));
    }

    @Test
    void aMissedRunBeyondTheDeadlineIsSkippedAndRecorded() {
        RunDecision d = RunPlanner.decide(hourly, T0200, Instant.parse("2026-11-22T02:20:00Z"), Optional.of(Duration.ofMinutes(10)), false);
        assertThat(d.start()).isEmpty();
        assertThat(d.skip()).hasValueSatisfying(s -> {
            assertThat(s.scheduledAt()).isEqualTo(T0200);
            assertThat(s.reason()).isEqualTo("MissedStartingDeadline");
            assertThat(s.message()).contains("1200s late").contains("startingDeadlineSeconds 600");
        });
        assertThat(d.next()).isEqualTo(Instant.parse("2026-11-22T03:00:00Z"));
    }

    @Test
    void withoutADeadlineAMissedRunIsAlwaysTakenOnce() {
        RunDecision d = RunPlanner.decide(hourly, T0200, Instant.parse("2026-11-23T02:20:00Z"), Optional.empty(), false);
        assertThat(d.start()).contains(Instant.parse("2026-11-23T02:00:00Z"));
        assertThat(d.passedOver()).isEqualTo(24);
    }

    @Test
    void suspendedRunsPassSilently() {
        RunDecision d = RunPlanner.decide(hourly, T0200, Instant.parse("2026-11-22T04:30:00Z"), Optional.empty(), true);
        assertThat(d.start()).isEmpty();
        assertThat(d.skip()).isEmpty();
        assertThat(d.next()).isEqualTo(Instant.parse("2026-11-22T05:00:00Z"));
    }
}
