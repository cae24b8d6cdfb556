package io.backtrack.controller.retention;

import io.backtrack.api.schedule.RetentionPolicy;
import io.backtrack.contract.durations.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A RetentionPolicy checked and with defaults: nulls are 0 (rule unused); maxAge parsed. */
public record RetentionRules(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly,
                             Duration maxAge, String maxAgeText, int failedHistoryLimit) {
    private static final String MAX_AGE = "retention.maxAge";

    /** Every problem with the policy, each a sentence; empty when valid. */
    public static List<String> problems(RetentionPolicy policy, Integer failedBackupsHistoryLimit) {
        List<String> problems = new ArrayList<>();
        if (policy != null) {
            negative(problems, "keepLast", policy.keepLast());
            negative(problems, "keepHourly", policy.keepHourly());
            negative(problems, "keepDaily", policy.keepDaily());
            negative(problems, "keepWeekly", policy.keepWeekly());
            negative(problems, "keepMonthly", policy.keepMonthly());
            negative(problems, "keepYearly", policy.keepYearly());
            try {
                Durations.parseOptional(policy.maxAge(), MAX_AGE);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (failedBackupsHistoryLimit != null && failedBackupsHistoryLimit < 0) {
            problems.add("failedBackupsHistoryLimit must not be negative, got " + failedBackupsHistoryLimit);
        }
        return problems;
    }

    /** Assumes {@link #problems} found nothing. */
    public static RetentionRules of(RetentionPolicy policy, int failedHistoryLimit) {
        RetentionPolicy p = policy == null ? new RetentionPolicy(null, null, null, null, null, null, null) : policy;
        return new RetentionRules(n(p.keepLast()), n(p.keepHourly()), n(p.keepDaily()), n(p.keepWeekly()),
                n(p.keepMonthly()), n(p.keepYearly()), Durations.parseOptional(p.maxAge(), MAX_AGE).orElse(null), p.maxAge(), failedHistoryLimit);
    }

    /** True when at least one rule is set; with none, every completed backup is kept. */
    public boolean anyRule() {
        return keepLast + keepHourly + keepDaily + keepWeekly + keepMonthly + keepYearly > 0 || maxAge != null;
    }

    /** "beyond keepLast 2, keepDaily 7 and older than maxAge 720h": why a backup no rule kept is pruned. */
    String notKeptReason() {
        List<String> counts = new ArrayList<>();
        add(counts, "keepLast", keepLast);
        add(counts, "keepHourly", keepHourly);
        add(counts, "keepDaily", keepDaily);
        add(counts, "keepWeekly", keepWeekly);
        add(counts, "keepMonthly", keepMonthly);
        add(counts, "keepYearly", keepYearly);
        String beyond = counts.isEmpty() ? "" : "beyond " + String.join(", ", counts);
        if (maxAge == null) {
            return beyond;
        }
        return beyond.isEmpty() ? "older than maxAge " + maxAgeText : beyond + " and older than maxAge " + maxAgeText;
    }

    private static void add(List<String> parts, String rule, int count) {
        if (count > 0) {
            parts.add(rule + " " + count);
        }
    }

    private static void negative(List<String> problems, String field, Integer value) {
        if (value != null && value < 0) {
            problems.add("retention." + field + " must not be negative, got " + value);
        }
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
