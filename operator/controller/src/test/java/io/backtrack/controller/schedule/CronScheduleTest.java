package io.backtrack.controller.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronScheduleTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static CronSchedule cron(String expression, ZoneId zone) throws InvalidScheduleException {
        return CronSchedule.parse(expression, zone, "shop", "nightly");
    }

    static List<Instant> runs(CronSchedule cron, String from, String to) {
        List<Instant> runs = new ArrayList<>();
        Instant t = Instant.parse(from);
        Instant end = Instant.parse(to);
        while (true) {
            t = cron.nextAfter(t).orElseThrow();
            if (t.isAfter(end)) {
                return runs;
            }
            runs.add(t);
        }
    }

    @Test
    void nextAndLatestInUtc() throws Exception {
        CronSchedule c = cron("0 2 * * *", ZoneOffset.UTC);
        assertThat(c.nextAfter(Instant.parse("2026-11-22T01:59:59Z"))).contains(Instant.parse("2026-11-22T02:00:00Z"));
        assertThat(c.nextAfter(Instant.parse("2026-11-22T02:00:00Z"))).contains(Instant.parse("2026-11-23T02:00:00Z"));
        assertThat(c.latestAtOrBefore(Instant.parse("2026-11-22T02:00:00Z"))).contains(Instant.parse("2026-11-22T02:00:00Z"));
        assertThat(c.latestAtOrBefore(Instant.parse("2026-11-22T01:59:59Z"))).contains(Instant.parse("2026-11-21T02:00:00Z"));
    }

    @Test
    void answersWithinAMinuteAreTheMinutesWhateverWasAskedBefore() throws Exception {
        CronSchedule c = cron("* * * * *", BERLIN);
        // Asked in this order, each answer comes from the minute remembered by the one before.
        assertThat(c.nextAfter(Instant.parse("2026-11-22T02:00:00Z"))).contains(Instant.parse("2026-11-22T02:01:00Z"));
        assertThat(c.nextAfter(Instant.parse("2026-11-22T02:00:59.999Z"))).contains(Instant.parse("2026-11-22T02:01:00Z"));
        assertThat(c.latestAtOrBefore(Instant.parse("2026-11-22T02:00:30Z"))).contains(Instant.parse("2026-11-22T02:00:00Z"));
        assertThat(c.latestAtOrBefore(Instant.parse("2026-11-22T02:00:00Z"))).contains(Instant.parse("2026-11-22T02:00:00Z"));
        assertThat(c.nextAfter(Instant.parse("2026-11-22T02:01:00Z"))).contains(Instant.parse("2026-11-22T02:02:00Z"));
        assertThat(cron("* * * * *", BERLIN)).as("parsed once per expression and zone").isSameAs(c);
    }

    @Test
    void evaluatedInTheTimeZone() throws Exception {
        CronSchedule c = cron("0 2 * * *", BERLIN);
        // November: CET, UTC+1.
        assertThat(c.nextAfter(Instant.parse("2026-11-22T00:00:00Z"))).contains(Instant.parse("2026-11-22T01:00:00Z"));
        // July: CEST, UTC+2.
        assertThat(c.nextAfter(Instant.parse("2026-07-01T00:00:00Z"))).contains(Instant.parse("2026-07-02T00:00:00Z"));
    }

    @Test
    void springForwardRunsASkippedTimeOnceShiftedByTheJump() throws Exception {
        // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
        CronSchedule c = cron("30 2 * * *", BERLIN);
        assertThat(runs(c, "2026-03-27T12:00:00Z", "2026-03-30T12:00:00Z")).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"),   // 02:30 CET
                Instant.parse("2026-03-29T01:30:00Z"),   // 03:30 CEST, once
                Instant.parse("2026-03-30T00:30:00Z"));  // 02:30 CEST
    }

    @Test
    void springForwardHourlyRunsEveryRealHourOnce() throws Exception {
        CronSchedule c = cron("0 * * * *", BERLIN);
        assertThat(runs(c, "2026-03-28T23:30:00Z", "2026-03-29T02:30:00Z")).containsExactly(
                Instant.parse("2026-03-29T00:00:00Z"),   // 01:00 CET
                Instant.parse("2026-03-29T01:00:00Z"),   // 03:00 CEST (02:00 does not exist)
                Instant.parse("2026-03-29T02:00:00Z"));  // 04:00 CEST
    }

    @Test
    void fallBackRunsARepeatedTimeOnce() throws Exception {
        // 2026-10-25 in Berlin: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        CronSchedule c = cron("30 2 * * *", BERLIN);
        assertThat(runs(c, "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z")).containsExactly(
                Instant.parse("2026-10-25T00:30:00Z"),   // 02:30 CEST, the first one only
                Instant.parse("2026-10-26T01:30:00Z"));  // 02:30 CET
    }

    @Test
    void fallBackHourlyRunsInBothRepeatedHours() throws Exception {
        CronSchedule c = cron("0 * * * *", BERLIN);
        assertThat(runs(c, "2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z")).containsExactly(
                Instant.parse("2026-10-25T00:00:00Z"),   // 02:00 CEST
                Instant.parse("2026-10-25T01:00:00Z"),   // 02:00 CET
                Instant.parse("2026-10-25T02:00:00Z"));  // 03:00 CET
        // and looking back from inside the second 02:xx hour finds its run, not the first one
        assertThat(c.latestAtOrBefore(Instant.parse("2026-10-25T01:10:00Z"))).contains(Instant.parse("2026-10-25T01:00:00Z"));
        assertThat(c.latestAtOrBefore(Instant.parse("2026-10-25T00:59:00Z"))).contains(Instant.parse("2026-10-25T00:00:00Z"));
    }

    @Test
    void everyFifteenMinutesAcrossFallBackHasNoGapAndNoDouble() throws Exception {
        CronSchedule c = cron("*/15 * * * *", BERLIN);
        List<Instant> r = runs(c, "2026-10-24T23:50:00Z", "2026-10-25T02:10:00Z");
        assertThat(r).hasSize(9).doesNotHaveDuplicates();
        for (int i = 1; i < r.size(); i++) {
            assertThat(r.get(i).getEpochSecond() - r.get(i - 1).getEpochSecond()).isEqualTo(15 * 60);
        }
    }

    @Test
    void dailyAtMidnightAcrossAYearBoundary() throws Exception {
        CronSchedule c = cron("@daily", BERLIN);
        assertThat(runs(c, "2026-12-30T12:00:00Z", "2027-01-02T12:00:00Z")).containsExactly(
                Instant.parse("2026-12-30T23:00:00Z"), Instant.parse("2026-12-31T23:00:00Z"), Instant.parse("2027-01-01T23:00:00Z"));
    }

    @Test
    void invalidExpressionsAreRefused() {
        assertThatThrownBy(() -> cron("61 * * * *", ZoneOffset.UTC)).isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("not a valid cron expression");
        assertThatThrownBy(() -> cron("every day", ZoneOffset.UTC)).hasMessageContaining("2 fields");
        assertThatThrownBy(() -> cron("0 0 30 2 *", ZoneOffset.UTC)).hasMessageContaining("never fires");
    }

    @Test
    void longestGapIsTheIntervalOfTheNextRunsAndHoldsForTheHour() throws InvalidScheduleException {
        Instant monday = Instant.parse("2026-11-23T00:10:00Z");
        assertThat(cron("0 3,4 * * *", ZoneOffset.UTC).longestGap(monday)).contains(Duration.ofHours(23));
        assertThat(cron("0 1 * * 1", ZoneOffset.UTC).longestGap(monday)).contains(Duration.ofDays(7));
        CronSchedule every15 = cron("*/15 * * * *", ZoneOffset.UTC);
        assertThat(every15.longestGap(monday)).contains(Duration.ofMinutes(15));
        assertThat(every15.longestGap(monday.plusSeconds(3000))).as("same hour, same answer")
                .isEqualTo(every15.longestGap(monday));
    }
}
