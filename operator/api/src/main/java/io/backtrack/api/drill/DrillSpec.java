package io.backtrack.api.drill;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.encryption.DecryptionSpec;
import io.backtrack.contract.durations.Durations;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * A BackupSchedule's restore drills: on a clock or after every N backups, the newest completed backup is restored
 * into a fresh scratch database (best on another server), its SHA-256 and row counts verified, the checks run read-only, the
 * result recorded, and the scratch database dropped.
 */
@ValidationRule(value = "has(self.schedule) != has(self.everyBackups)",
        message = "set exactly one of drill.schedule (a cron) and drill.everyBackups (a drill after every N completed backups)")
@ValidationRule(value = "!has(self.checks) || self.checks.all(c, self.checks.exists_one(d, d.name == c.name))",
        message = "drill.checks need distinct names")
public record DrillSpec(
        @JsonPropertyDescription("When to drill: a cron like spec.schedule (5 fields or @daily, @weekly, ...), with the "
                + "same H terms and spec.timeZone; H picks other values than the backups' own. Or set everyBackups.")
        String schedule,
        @Min(1) @JsonPropertyDescription("Or: drill after every N completed backups of this schedule.")
        Integer everyBackups,
        @Required @JsonPropertyDescription("The server drills restore into, best a scratch server; a drill never restores into the backed-up database itself.")
        DrillTarget target,
        @Pattern("^[^\\x00]{1,63}$")
        @JsonPropertyDescription("Prefix of each drill's scratch database, named <prefix>_<UTC time> (it must not exist). "
                + "Default: <database>_drill.")
        String database,
        @JsonPropertyDescription("Keep the scratch database after the drill, to inspect it. Default: false (dropped).")
        Boolean keep,
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("How long a drill may run (its Job's activeDeadlineSeconds) before it is stopped and "
                + "fails with DeadlineExceeded. Default: " + DrillSpec.DEFAULT_MAX_DURATION + ".")
        String maxDuration,
        @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("Statement timeout of each check. Default: " + DrillSpec.DEFAULT_CHECK_TIMEOUT + ".")
        String checkTimeout,
        @Size(max = DrillSpec.MAX_CHECKS)
        @JsonPropertyDescription("Queries run read-only on the restored database; a check that does not return what it "
                + "expects fails the drill (VerificationFailed).")
        List<DrillCheck> checks,
        @Min(1) @Max(DrillSpec.MAX_HISTORY)
        @JsonPropertyDescription("Finished drills listed in status.drillHistory, and drill Restores kept. Default: "
                + DrillSpec.DEFAULT_HISTORY + ".")
        Integer historyLimit,
        @JsonPropertyDescription("The identity each drill decrypts the schedule's encrypted backups with (age); "
                + "becomes each drill Restore's spec.decryption.")
        DecryptionSpec decryption) {

    /** Drills of unencrypted backups. */
    public DrillSpec(String schedule, Integer everyBackups, DrillTarget target, String database, Boolean keep,
                     String maxDuration, String checkTimeout, List<DrillCheck> checks, Integer historyLimit) {
        this(schedule, everyBackups, target, database, keep, maxDuration, checkTimeout, checks, historyLimit, null);
    }

    public static final String DEFAULT_MAX_DURATION = "1h";
    public static final String DEFAULT_CHECK_TIMEOUT = "60s";
    public static final int DEFAULT_HISTORY = 5;
    public static final int MAX_HISTORY = 50;
    public static final int MAX_CHECKS = 20;

    public boolean keepOrDefault() {
        return Boolean.TRUE.equals(keep);
    }

    public String maxDurationOrDefault() {
        return maxDuration == null || maxDuration.isBlank() ? DEFAULT_MAX_DURATION : maxDuration;
    }

    public String checkTimeoutOrDefault() {
        return checkTimeout == null || checkTimeout.isBlank() ? DEFAULT_CHECK_TIMEOUT : checkTimeout;
    }

    public List<DrillCheck> checksOrEmpty() {
        return checks == null ? List.of() : checks;
    }

    public int historyLimitOrDefault() {
        return historyLimit == null ? DEFAULT_HISTORY : historyLimit;
    }
}
