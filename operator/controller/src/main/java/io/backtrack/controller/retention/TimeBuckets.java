package io.backtrack.controller.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.function.Function;

/**
 * The calendar buckets of keepHourly/Daily/Weekly/Monthly/Yearly, in the schedule's time zone. Weeks are ISO
 * weeks (Monday first; 31 December may belong to week 1 of the next year). The hour of a fall-back night
 * that occurs twice is two buckets, as it is two real hours.
 */
enum TimeBuckets {
    HOURLY("keepHourly", z -> z.truncatedTo(ChronoUnit.HOURS).toOffsetDateTime().toString()),
    DAILY("keepDaily", z -> z.toLocalDate().toString()),
    WEEKLY("keepWeekly", z -> z.get(IsoFields.WEEK_BASED_YEAR) + "-W" + z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
    MONTHLY("keepMonthly", z -> z.getYear() + "-" + z.getMonthValue()),
    YEARLY("keepYearly", z -> Integer.toString(z.getYear()));

    final String rule;
    private final Function<ZonedDateTime, String> key;

    TimeBuckets(String rule, Function<ZonedDateTime, String> key) {
        this.rule = rule;
        this.key = key;
    }

    String of(Instant t, ZoneId zone) {
        return key.apply(t.atZone(zone));
    }

    int count(RetentionRules rules) {
        return switch (this) {
            case HOURLY -> rules.keepHourly();
            case DAILY -> rules.keepDaily();
            case WEEKLY -> rules.keepWeekly();
            case MONTHLY -> rules.keepMonthly();
            case YEARLY -> rules.keepYearly();
        };
    }
}
