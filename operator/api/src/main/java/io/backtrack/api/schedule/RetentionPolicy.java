package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.contract.durations.Durations;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Which completed backups to keep; the kept set is the union of what each rule keeps (restic semantics).
 * Leaving every rule out keeps everything. Buckets (hour, day, week, month, year) are in the schedule's time zone.
 */
public record RetentionPolicy(
        @Min(0) @JsonPropertyDescription("Keep the newest N completed backups.")
        Integer keepLast,
        @Min(0) @JsonPropertyDescription("Keep the newest completed backup of each of the last N hours that have one.")
        Integer keepHourly,
        @Min(0) @JsonPropertyDescription("Keep the newest completed backup of each of the last N days that have one.")
        Integer keepDaily,
        @Min(0) @JsonPropertyDescription("Keep the newest completed backup of each of the last N ISO weeks that have one.")
        Integer keepWeekly,
        @Min(0) @JsonPropertyDescription("Keep the newest completed backup of each of the last N months that have one.")
        Integer keepMonthly,
        @Min(0) @JsonPropertyDescription("Keep the newest completed backup of each of the last N years that have one.")
        Integer keepYearly,
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("Keep every completed backup younger than this (e.g. 2160h).")
        String maxAge) {
}
