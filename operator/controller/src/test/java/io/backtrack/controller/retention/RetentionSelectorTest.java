package io.backtrack.controller.retention;

import io.backtrack.api.schedule.RetentionPolicy;
import io.backtrack.controller.retention.RetentionCandidate.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention over generated histories: one backup per step from a start time, newest last. */
class RetentionSelectorTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

    static RetentionRules rules(Integer last, Integer hourly, Integer daily, Integer weekly, Integer monthly, Integer yearly,
                                String maxAge) {
        return RetentionRules.of(new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, maxAge), 3);
    }

    static RetentionCandidate completed(Instant at) {
        return new RetentionCandidate("b-" + NAME.format(at), Outcome.COMPLETED, at, at.plusSeconds(30), "prod/shop/b-" + NAME.format(at),
                1000, null, null, null);
    }

    static RetentionCandidate failed(Instant at) {
        return new RetentionCandidate("b-" + NAME.format(at), Outcome.FAILED, at, at.plusSeconds(5), null, 0, null, null, null);
    }

    static List<RetentionCandidate> history(String start, Duration step, int count) {
        List<RetentionCandidate> h = new ArrayList<>();
        Instant t = Instant.parse(start);
        for (int i = 0; i < count; i++) {
            h.add(completed(t));
            t = t.plus(step);
        }
        return h;
    }

    static Set<String> kept(RetentionPlan plan) {
        return plan.kept().keySet();
    }

    static Set<String> pruned(RetentionPlan plan) {
        return plan.prune().stream().map(p -> p.candidate().name()).collect(Collectors.toSet());
    }

    static Instant newest(List<RetentionCandidate> h) {
        return h.get(h.size() - 1).finishedAt();
    }

    @Test
    void noRulesKeepsEverything() {
        var h = history("2026-11-01T02:00:00Z", Duration.ofDays(1), 20);
        RetentionPlan plan = RetentionSelector.select(rules(null, null, null, null, null, null, null), BERLIN, h, newest(h));
        assertThat(plan.prune()).isEmpty();
        assertThat(plan.kept()).hasSize(20);
        assertThat(plan.message()).contains("no retention rules");
    }

    @Test
    void keepLastKeepsTheNewestN() {
        var h = history("2026-11-01T02:00:00Z", Duration.ofHours(1), 10);
        RetentionPlan plan = RetentionSelector.select(rules(3, null, null, null, null, null, null), BERLIN, h, newest(h));
        assertThat(kept(plan)).containsExactly("b-20261101-1100", "b-20261101-1000", "b-20261101-0900");
        assertThat(plan.prune()).hasSize(7).allSatisfy(p -> assertThat(p.reason()).isEqualTo("beyond keepLast 3"));
    }

    @Test
    void keepDailyKeepsTheNewestOfEachOfTheLastNDaysInTheScheduleZone() {
        // every 6 hours for 10 days, from 2026-11-01T00:00Z (01:00 Berlin)
        var h = history("2026-11-01T00:00:00Z", Duration.ofHours(6), 40);
        RetentionPlan plan = RetentionSelector.select(rules(null, null, 3, null, null, null, null), BERLIN, h, newest(h));
        // newest per Berlin day: 18:00Z is 19:00 CET, still the same day
        assertThat(kept(plan)).containsExactly("b-20261110-1800", "b-20261109-1800", "b-20261108-1800");
        assertThat(plan.prune()).hasSize(37).allSatisfy(p -> assertThat(p.reason()).isEqualTo("beyond keepDaily 3"));
    }

    @Test
    void dayBucketsFollowTheZoneNotUtc() {
        // 23:30Z is 00:30 the next day in Berlin: these two are one Berlin day, two UTC days.
        var h = List.of(completed(Instant.parse("2026-11-01T23:30:00Z")), completed(Instant.parse("2026-11-02T10:00:00Z")));
        Instant now = Instant.parse("2026-11-02T12:00:00Z");
        assertThat(kept(RetentionSelector.select(rules(null, null, 2, null, null, null, null), BERLIN, h, now))).hasSize(1);
        assertThat(kept(RetentionSelector.select(rules(null, null, 2, null, null, null, null), ZoneOffset.UTC, h, now))).hasSize(2);
    }

    @Test
    void keepHourlyAcrossFallBackCountsTheRepeatedHourTwice() {
        // every 30 minutes over the 2026-10-25 fall-back night in Berlin: 02:xx CEST and 02:xx CET are two hours
        var h = history("2026-10-24T23:00:00Z", Duration.ofMinutes(30), 8);
        RetentionPlan plan = RetentionSelector.select(rules(null, 4, null, null, null, null, null), BERLIN, h, newest(h));
        assertThat(kept(plan)).containsExactly("b-20261025-0230", "b-20261025-0130", "b-20261025-0030", "b-20261024-2330");
    }

    @Test
    void keepDailyAcrossSpringForwardUsesLocalDays() {
        // hourly across 2026-03-29 (23 hours long in Berlin)
        var h = history("2026-03-28T12:00:00Z", Duration.ofHours(1), 48);
        RetentionPlan plan = RetentionSelector.select(rules(null, null, 3, null, null, null, null), BERLIN, h, newest(h));
        // the last backup of Berlin 2026-03-29 is 23:xx CEST = 21:xx UTC
        assertThat(kept(plan)).containsExactly("b-20260330-1100", "b-20260329-2100", "b-20260328-2200");
    }

    @Test
    void keepWeeklyUsesIsoWeeksAcrossTheYearBoundary() {
        // daily at 12:00Z from 2026-12-21 (Monday) to 2027-01-10
        var h = history("2026-12-21T12:00:00Z", Duration.ofDays(1), 21);
        RetentionPlan plan = RetentionSelector.select(rules(null, null, null, 3, null, null, null), BERLIN, h, newest(h));
        // ISO weeks: 2026-W52 ends Sun 12-27, 2026-W53 ends Sun 2027-01-03, 2027-W01 ends Sun 01-10
        assertThat(kept(plan)).containsExactly("b-20270110-1200", "b-20270103-1200", "b-20261227-1200");
    }

    @Test
    void keepMonthlyAndYearlyAcrossYears() {
        var h = history("2024-11-15T12:00:00Z", Duration.ofDays(10), 80);  // into January 2027
        RetentionPlan plan = RetentionSelector.select(rules(null, null, null, null, 2, 3, null), BERLIN, h, newest(h));
        String newest = h.get(h.size() - 1).name();
        String newestOf2026 = newestBefore(h, "2027-01-01T00:00:00Z");
        String newestOf2025 = newestBefore(h, "2026-01-01T00:00:00Z");
        // monthly 2: January 2027 (the newest) and December 2026 (also 2026's newest); yearly 3 adds 2025's newest
        assertThat(kept(plan)).containsExactly(newest, newestOf2026, newestOf2025);
        assertThat(plan.kept().get(newestOf2026)).containsExactly("keepMonthly 2", "keepYearly 3");
        assertThat(plan.kept().get(newestOf2025)).containsExactly("keepYearly 3");
    }

    static String newestBefore(List<RetentionCandidate> h, String instant) {
        Instant limit = Instant.parse(instant);
        return h.stream().filter(c -> c.finishedAt().isBefore(limit)).reduce((a, b) -> b).orElseThrow().name();
    }

    @Test
    void theKeptSetIsTheUnionOfTheRules() {
        var h = history("2026-11-01T02:00:00Z", Duration.ofDays(1), 30);
        RetentionPlan plan = RetentionSelector.select(rules(2, null, 5, null, 2, null, null), BERLIN, h, newest(h));
        // keepLast 2 ⊂ keepDaily 5; keepMonthly 2 adds the newest of October... none in October: only November exists
        assertThat(kept(plan)).hasSize(5);
        RetentionPlan withOld = RetentionSelector.select(rules(2, null, null, null, 2, null, null), BERLIN,
                history("2026-10-20T02:00:00Z", Duration.ofDays(1), 20), Instant.parse("2026-11-08T03:00:00Z"));
        assertThat(kept(withOld)).containsExactly("b-20261108-0200", "b-20261107-0200", "b-20261031-0200");
        assertThat(withOld.kept().get("b-20261108-0200")).contains("keepLast 2", "keepMonthly 2", "newest completed backup");
    }

    @Test
    void maxAgeKeepsEverythingYounger() {
        var h = history("2026-11-01T00:00:00Z", Duration.ofHours(12), 10);
        Instant now = Instant.parse("2026-11-05T12:00:00Z");
        RetentionPlan plan = RetentionSelector.select(rules(null, null, null, null, null, null, "48h"), BERLIN, h, now);
        assertThat(kept(plan)).hasSize(5);
        assertThat(plan.prune()).hasSize(5).allSatisfy(p -> assertThat(p.reason()).isEqualTo("older than maxAge 48h"));
    }

    // --- guarantees ---

    @Test
    void theNewestCompletedBackupIsNeverPruned() {
        var h = history("2026-11-01T00:00:00Z", Duration.ofDays(1), 5);
        // maxAge alone and everything older than it: the newest still stays
        RetentionPlan plan = RetentionSelector.select(rules(null, null, null, null, null, null, "1h"), BERLIN, h,
                Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(kept(plan)).containsExactly("b-20261105-0000");
        assertThat(plan.kept().get("b-20261105-0000")).containsExactly("newest completed backup");
        assertThat(plan.prune()).hasSize(4);
    }

    @Test
    void failedBackupsNeverCountAsKept() {
        List<RetentionCandidate> h = new ArrayList<>(history("2026-11-01T02:00:00Z", Duration.ofDays(1), 3));
        h.add(failed(Instant.parse("2026-11-04T02:00:00Z")));
        h.add(completed(Instant.parse("2026-11-05T02:00:00Z")));
        RetentionPlan plan = RetentionSelector.select(rules(2, null, null, null, null, null, null), BERLIN, h,
                Instant.parse("2026-11-05T03:00:00Z"));
        // keepLast 2 keeps two *completed* backups; the failed one in between is not one of them
        assertThat(kept(plan)).containsExactly("b-20261105-0200", "b-20261103-0200");
        assertThat(kept(plan)).doesNotContain("b-20261104-0200");
        assertThat(pruned(plan)).containsExactlyInAnyOrder("b-20261101-0200", "b-20261102-0200");
    }

    @Test
    void nothingCompletedIsPrunedWhileTheNewestRunHasFailed() {
        List<RetentionCandidate> h = new ArrayList<>(history("2026-11-01T02:00:00Z", Duration.ofDays(1), 6));
        h.add(failed(Instant.parse("2026-11-07T02:00:00Z")));
        RetentionPlan plan = RetentionSelector.select(RetentionRules.of(new RetentionPolicy(1, null, null, null, null, null, null), 0),
                BERLIN, h, Instant.parse("2026-11-07T03:00:00Z"));
        assertThat(plan.prune()).isEmpty();
        assertThat(plan.message()).contains("holding back: the newest run b-20261107-0200 failed");
    }

    @Test
    void aBackupInUseByARestoreIsNeverPruned() {
        List<RetentionCandidate> h = new ArrayList<>(history("2026-11-01T02:00:00Z", Duration.ofDays(1), 4));
        RetentionCandidate old = h.get(0);
        h.set(0, new RetentionCandidate(old.name(), old.outcome(), old.runAt(), old.finishedAt(), old.key(), old.sizeBytes(),
                Instant.parse("2026-11-02T00:00:00Z"), "24h", "in use by Restore orders-incident"));
        RetentionPlan plan = RetentionSelector.select(rules(1, null, null, null, null, null, null), BERLIN, h,
                Instant.parse("2026-11-05T03:00:00Z"));
        assertThat(kept(plan)).contains("b-20261101-0200");
        assertThat(plan.kept().get("b-20261101-0200")).containsExactly("in use by Restore orders-incident");
        assertThat(pruned(plan)).containsExactlyInAnyOrder("b-20261102-0200", "b-20261103-0200");
    }

    @Test
    void ttlExpiryIsEnforcedUnderTheSameGuarantees() {
        Instant now = Instant.parse("2026-11-10T00:00:00Z");
        List<RetentionCandidate> h = new ArrayList<>();
        for (RetentionCandidate c : history("2026-11-01T02:00:00Z", Duration.ofDays(1), 4)) {
            h.add(new RetentionCandidate(c.name(), c.outcome(), c.runAt(), c.finishedAt(), c.key(), c.sizeBytes(),
                    c.finishedAt().plus(Duration.ofHours(48)), "48h", null));
        }
        // no rules would keep them all, but every one's ttl has passed: all go except the newest
        RetentionPlan plan = RetentionSelector.select(rules(null, null, null, null, null, null, null), BERLIN, h, now);
        assertThat(kept(plan)).containsExactly("b-20261104-0200");
        assertThat(plan.prune()).hasSize(3).allSatisfy(p -> assertThat(p.reason()).startsWith("ttl 48h expired at"));
    }

    @Test
    void failedBackupsFollowTheirHistoryLimit() {
        List<RetentionCandidate> h = new ArrayList<>(history("2026-11-01T02:00:00Z", Duration.ofDays(1), 2));
        for (int i = 3; i <= 7; i++) {
            h.add(failed(Instant.parse("2026-11-0" + i + "T02:00:00Z")));
        }
        h.add(completed(Instant.parse("2026-11-08T02:00:00Z")));
        RetentionPlan plan = RetentionSelector.select(RetentionRules.of(null, 2), BERLIN, h, Instant.parse("2026-11-08T03:00:00Z"));
        assertThat(pruned(plan)).containsExactlyInAnyOrder("b-20261103-0200", "b-20261104-0200", "b-20261105-0200");
        assertThat(plan.prune()).allSatisfy(p -> assertThat(p.reason()).isEqualTo("beyond failedBackupsHistoryLimit 2"));
    }

    @Test
    void theFailedRunHoldingPruningBackIsKeptEvenWithAHistoryLimitOfZero() {
        List<RetentionCandidate> h = new ArrayList<>(history("2026-11-01T02:00:00Z", Duration.ofDays(1), 3));
        h.add(failed(Instant.parse("2026-11-04T02:00:00Z")));
        h.add(failed(Instant.parse("2026-11-05T02:00:00Z")));
        RetentionPlan plan = RetentionSelector.select(RetentionRules.of(new RetentionPolicy(1, null, null, null, null, null, null), 0),
                BERLIN, h, Instant.parse("2026-11-05T03:00:00Z"));
        assertThat(pruned(plan)).containsExactly("b-20261104-0200");
    }
}
