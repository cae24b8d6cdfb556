package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a BackupSchedule. Written by the operator only. */
public record BackupScheduleStatus(
        @JsonPropertyDescription("When the last run was due (started or skipped).")
        String lastScheduleTime,
        @JsonPropertyDescription("When the next run is due.")
        String nextScheduleTime,
        @JsonPropertyDescription("The newest completed Backup.")
        String lastSuccessfulBackup,
        @JsonPropertyDescription("When lastSuccessfulBackup completed.")
        String lastSuccessTime,
        @JsonPropertyDescription("The newest failed Backup (or one that could not start, e.g. SecretNotFound).")
        String lastFailedBackup,
        @JsonPropertyDescription("Backups of this schedule still pending or running.")
        List<String> active,
        @JsonPropertyDescription("The last run that was due but not started.")
        SkippedRun lastSkippedRun,
        @JsonPropertyDescription("Runs skipped since the schedule was created.")
        Long skippedRuns,
        @JsonPropertyDescription("What retention kept and pruned.")
        RetentionStatus retention,
        @JsonPropertyDescription("Ready: the schedule is valid and running (reason Scheduled or Suspended), or why not "
                + "(InvalidSchedule, UnknownTimeZone, InvalidSpec). LastBackupSucceeded: how the newest finished run ended.")
        List<Condition> conditions,
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration) {
}
