package io.backtrack.controller.schedule;

import io.backtrack.controller.retention.RetentionRules;

import java.time.Duration;
import java.util.Optional;

/** A BackupSchedule's spec, checked and parsed. */
public record ValidSchedule(CronSchedule cron, RetentionRules retention, Optional<Duration> startingDeadline) {
}
