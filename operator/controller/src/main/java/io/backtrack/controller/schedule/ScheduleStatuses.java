package io.backtrack.controller.schedule;

import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleStatus;
import io.backtrack.api.schedule.RetentionStatus;
import io.backtrack.api.schedule.SkippedRun;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The status of a BackupSchedule, as pure functions of what the reconcile saw and did. */
public final class ScheduleStatuses {
    public static final String LAST_BACKUP_SUCCEEDED = "LastBackupSucceeded";
    public static final String REASON_SCHEDULED = "Scheduled";
    public static final String REASON_SUSPENDED = "Suspended";

    private ScheduleStatuses() {
    }

    /** What one reconcile of a valid schedule leaves behind. */
    public record Observed(String lastScheduleTime, Instant next, List<ScheduleRun> runs, List<String> active,
                           SkippedRun lastSkippedRun, long skippedRuns, RetentionStatus retention) {
    }

    public static BackupScheduleStatus valid(BackupSchedule schedule, CronSchedule cron, Observed o, Instant now) {
        BackupScheduleStatus s = current(schedule);
        Long generation = schedule.getMetadata().getGeneration();
        boolean suspended = schedule.getSpec().suspended();
        String readyMessage = suspended
                ? "suspended: no runs start until spec.suspend is false"
                : "next run at " + o.next() + " (" + cron.expression() + " in " + cron.zone() + ")";
        List<Condition> conditions = Conditions.set(s.conditions(), Conditions.READY, true,
                suspended ? REASON_SUSPENDED : REASON_SCHEDULED, readyMessage, generation, now);

        Optional<ScheduleRun> newestCompleted = o.runs().stream().filter(r -> r.state() == ScheduleRun.State.COMPLETED)
                .max(Comparator.comparing(ScheduleRun::finishedAt));
        Optional<ScheduleRun> newestFailed = o.runs().stream().filter(ScheduleRun::failed)
                .max(Comparator.comparing(ScheduleRun::scheduledAt));
        Optional<ScheduleRun> newestFinished = o.runs().stream()
                .filter(r -> r.state() == ScheduleRun.State.COMPLETED || r.failed())
                .max(Comparator.comparing(ScheduleRun::scheduledAt));
        if (newestFinished.isPresent()) {
            ScheduleRun run = newestFinished.get();
            boolean ok = run.state() == ScheduleRun.State.COMPLETED;
            String reason = ok ? "Completed" : run.failureReason().orElse("Failed");
            String message = ok ? "Backup " + run.name() + " completed"
                    : "Backup " + run.name() + " did not complete: " + messageOf(run);
            conditions = Conditions.set(conditions, LAST_BACKUP_SUCCEEDED, ok, reason, message, generation, now);
        }
        return new BackupScheduleStatus(
                o.lastScheduleTime(),
                o.next() == null ? null : o.next().toString(),
                newestCompleted.map(ScheduleRun::name).orElse(s.lastSuccessfulBackup()),
                newestCompleted.map(r -> r.finishedAt().toString()).orElse(s.lastSuccessTime()),
                newestFailed.map(ScheduleRun::name).orElse(s.lastFailedBackup()),
                o.active(),
                o.lastSkippedRun(),
                o.skippedRuns(),
                o.retention(),
                conditions,
                generation);
    }

    public static BackupScheduleStatus invalid(BackupSchedule schedule, ScheduleProblem problem, Instant now) {
        BackupScheduleStatus s = current(schedule);
        Long generation = schedule.getMetadata().getGeneration();
        return new BackupScheduleStatus(s.lastScheduleTime(), null, s.lastSuccessfulBackup(), s.lastSuccessTime(),
                s.lastFailedBackup(), s.active(), s.lastSkippedRun(), s.skippedRuns(), s.retention(),
                Conditions.set(s.conditions(), Conditions.READY, false, problem.reason(), problem.message(), generation, now),
                generation);
    }

    static BackupScheduleStatus current(BackupSchedule schedule) {
        BackupScheduleStatus s = schedule.getStatus();
        return s != null ? s : new BackupScheduleStatus(null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String messageOf(ScheduleRun run) {
        var status = run.backup().getStatus();
        return status == null || status.message() == null ? "no message" : status.message();
    }
}
