package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.drill.DrillSpec;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** When to back up, what each run creates, and how many backups to keep. */
public record BackupScheduleSpec(
        @Required
        @JsonPropertyDescription("Cron: 5 fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly. "
                + "H in a field picks a stable value per schedule to spread load: 'H 2 * * *', 'H(0-29) * * * *', 'H/15 * * * *'.")
        String schedule,
        @JsonPropertyDescription("IANA time zone the schedule and the retention buckets are evaluated in, e.g. Europe/Berlin. Default: UTC.")
        String timeZone,
        @JsonPropertyDescription("Stop starting runs; runs that fall due while suspended are not made up later. Retention keeps working.")
        Boolean suspend,
        @JsonPropertyDescription("Forbid (default): skip a run while the previous one runs. Allow: run both. Replace: stop the running one.")
        ConcurrencyPolicy concurrencyPolicy,
        @Min(0)
        @JsonPropertyDescription("A run missed (operator down) is still started if at most this many seconds late; otherwise it is skipped and recorded. "
                + "Unset: a missed run is always started, once.")
        Long startingDeadlineSeconds,
        @Required @JsonPropertyDescription("The Backup each run creates.")
        BackupTemplate backupTemplate,
        @JsonPropertyDescription("Which completed backups to keep; unset keeps all.")
        RetentionPolicy retention,
        @Min(0) @JsonPropertyDescription("Failed backups kept for inspection (newest first). Default: 3.")
        Integer failedBackupsHistoryLimit,
        @JsonPropertyDescription("Restore drills: prove on a clock (or every N backups) that the newest backup restores, "
                + "verified, into a scratch database, and measure the recovery time.")
        DrillSpec drill) {

    public static final int DEFAULT_FAILED_HISTORY = 3;

    public boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }

    public ConcurrencyPolicy concurrencyPolicyOrDefault() {
        return concurrencyPolicy == null ? ConcurrencyPolicy.Forbid : concurrencyPolicy;
    }

    public String timeZoneOrDefault() {
        return timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
    }

    public int failedBackupsHistoryLimitOrDefault() {
        return failedBackupsHistoryLimit == null ? DEFAULT_FAILED_HISTORY : failedBackupsHistoryLimit;
    }
}
