package io.backtrack.controller.schedule;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleSpec;
import io.backtrack.controller.backup.BackupValidator;
import io.backtrack.controller.retention.RetentionRules;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a BackupSchedule before it creates anything. The CRD schema refuses some of this at `kubectl apply`
 * (keep* below 0); the rest (cron, time zone, the template as a Backup spec) only the operator can check.
 */
public final class ScheduleValidator {
    private static final int MAX_NAME = 63;

    private ScheduleValidator() {
    }

    /** The parsed schedule, or the first problem found (cron, then time zone, then the rest of the spec). */
    public static Result validate(BackupSchedule schedule) {
        BackupScheduleSpec spec = schedule.getSpec();
        if (spec == null) {
            return Result.problem(ConditionReason.InvalidSpec, "spec is missing");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(spec.timeZoneOrDefault());
        } catch (DateTimeException e) {
            return Result.problem(ConditionReason.UnknownTimeZone, "timeZone \"" + spec.timeZone()
                    + "\" is not an IANA time zone name such as Europe/Berlin or America/New_York");
        }
        CronSchedule cron;
        try {
            cron = CronSchedule.parse(spec.schedule(), zone, schedule.getMetadata().getNamespace(), schedule.getMetadata().getName());
        } catch (InvalidScheduleException e) {
            return Result.problem(ConditionReason.InvalidSchedule, e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (schedule.getMetadata().getName().length() > MAX_NAME) {
            problems.add("the schedule's name is longer than " + MAX_NAME + " characters; it must fit the backtrack.io/schedule label");
        }
        if (spec.backupTemplate() == null || spec.backupTemplate().spec() == null) {
            problems.add("backupTemplate.spec is required");
        } else {
            if (spec.backupTemplate().spec().origin() != null) {
                problems.add("backupTemplate.spec.origin is set by the operator only, on Backups a BackupStorage's "
                        + "sync found");
            } else {
                BackupValidator.problems(spec.backupTemplate().spec())
                        .forEach(p -> problems.add("backupTemplate.spec: " + p));
            }
        }
        problems.addAll(RetentionRules.problems(spec.retention(), spec.failedBackupsHistoryLimit()));
        if (spec.startingDeadlineSeconds() != null && spec.startingDeadlineSeconds() < 0) {
            problems.add("startingDeadlineSeconds must not be negative, got " + spec.startingDeadlineSeconds());
        }
        if (!problems.isEmpty()) {
            return Result.problem(ConditionReason.InvalidSpec, String.join("; ", problems));
        }
        return new Result(Optional.of(new ValidSchedule(cron,
                RetentionRules.of(spec.retention(), spec.failedBackupsHistoryLimitOrDefault()),
                Optional.ofNullable(spec.startingDeadlineSeconds()).map(Duration::ofSeconds))), Optional.empty());
    }

    /** Exactly one of the two is present. */
    public record Result(Optional<ValidSchedule> valid, Optional<ScheduleProblem> problem) {
        static Result problem(ConditionReason reason, String message) {
            return new Result(Optional.empty(), Optional.of(new ScheduleProblem(reason, message)));
        }
    }
}
