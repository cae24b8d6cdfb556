package io.backtrack.controller.schedule;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleStatus;
import io.backtrack.api.schedule.RetentionStatus;
import io.backtrack.api.schedule.SkippedRun;
import io.backtrack.controller.status.StatusDraft;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A BackupSchedule's status in one reconcile (see {@link StatusDraft}): the runs it started and skipped, what retention
 * did, then {@link #valid} (Ready, reason Scheduled or Suspended, the next run and how the newest run ended) or
 * {@link #invalid} (Ready False with the problem, no next run).
 */
public final class ScheduleStatusDraft extends StatusDraft<BackupScheduleStatus> {
    private final BackupSchedule schedule;
    private String lastScheduleTime;
    private String nextScheduleTime;
    private String lastSuccessfulBackup;
    private String lastSuccessTime;
    private String lastFailedBackup;
    private List<String> active;
    private SkippedRun lastSkippedRun;
    private Long skippedRuns;
    private RetentionStatus retention;

    public ScheduleStatusDraft(BackupSchedule schedule) {
        super(schedule, schedule.getStatus() == null ? null : schedule.getStatus().conditions());
        this.schedule = schedule;
        BackupScheduleStatus s = schedule.getStatus();
        if (s != null) {
            lastScheduleTime = s.lastScheduleTime();
            nextScheduleTime = s.nextScheduleTime();
            lastSuccessfulBackup = s.lastSuccessfulBackup();
            lastSuccessTime = s.lastSuccessTime();
            lastFailedBackup = s.lastFailedBackup();
            active = s.active();
            lastSkippedRun = s.lastSkippedRun();
            skippedRuns = s.skippedRuns();
            retention = s.retention();
        }
    }

    /** The next run the status records now, as the previous reconcile left it (null: none yet). */
    Optional<Instant> recordedNext() {
        return Optional.ofNullable(nextScheduleTime).map(Instant::parse);
    }

    /** A run was due at this time (started, or skipped with {@link #skipped}). */
    ScheduleStatusDraft due(Instant scheduledAt) {
        lastScheduleTime = scheduledAt.toString();
        return this;
    }

    /** Due runs passed over together (the operator was down, or the schedule suspended): counted, not listed. */
    ScheduleStatusDraft passedOver(long runs) {
        skippedRuns = skippedRuns() + runs;
        return this;
    }

    /** A due run that did not start, and why (ConcurrencyForbid, MissedStartingDeadline). */
    ScheduleStatusDraft skipped(Instant scheduledAt, String reason, String message) {
        due(scheduledAt);
        lastSkippedRun = new SkippedRun(scheduledAt.toString(), reason, message);
        skippedRuns = skippedRuns() + 1;
        return this;
    }

    /** The Backups of this schedule still pending or running. */
    ScheduleStatusDraft active(Collection<String> names) {
        active = names.isEmpty() ? null : new ArrayList<>(names);
        return this;
    }

    ScheduleStatusDraft retention(RetentionStatus status) {
        retention = status;
        return this;
    }

    /** A valid schedule: Ready (Scheduled or Suspended), its next run, and how the newest finished run ended. */
    ScheduleStatusDraft valid(CronSchedule cron, Instant next, List<ScheduleRun> runs, Instant now) {
        boolean suspended = schedule.getSpec().suspended();
        nextScheduleTime = next == null ? null : next.toString();
        condition(ConditionType.Ready, true, (suspended ? ConditionReason.Suspended : ConditionReason.Scheduled).name(),
                suspended ? "suspended: no runs start until spec.suspend is false"
                        : "next run at " + next + " (" + cron.expression() + " in " + cron.zone() + ")", now);
        Optional<ScheduleRun> newestCompleted = runs.stream().filter(r -> r.state() == ScheduleRun.State.COMPLETED)
                .max(Comparator.comparing(ScheduleRun::finishedAt));
        newestCompleted.ifPresent(r -> {
            lastSuccessfulBackup = r.name();
            lastSuccessTime = r.finishedAt().toString();
        });
        runs.stream().filter(ScheduleRun::failed).max(Comparator.comparing(ScheduleRun::scheduledAt))
                .ifPresent(r -> lastFailedBackup = r.name());
        runs.stream().filter(r -> r.state() == ScheduleRun.State.COMPLETED || r.failed())
                .max(Comparator.comparing(ScheduleRun::scheduledAt))
                .ifPresent(run -> lastRun(run, now));
        return this;
    }

    /** A schedule that cannot run: Ready False with the problem; no next run. */
    ScheduleStatusDraft invalid(ScheduleProblem problem, Instant now) {
        nextScheduleTime = null;
        condition(ConditionType.Ready, false, problem.reason().name(), problem.message(), now);
        return this;
    }

    @Override
    public BackupScheduleStatus build() {
        return new BackupScheduleStatus(lastScheduleTime, nextScheduleTime, lastSuccessfulBackup, lastSuccessTime,
                lastFailedBackup, active, lastSkippedRun, skippedRuns, retention, conditions(), generation());
    }

    private void lastRun(ScheduleRun run, Instant now) {
        boolean ok = run.state() == ScheduleRun.State.COMPLETED;
        String reason = ok ? ConditionReason.Completed.name() : run.failureReason().orElse(ConditionReason.Failed.name());
        var status = run.backup().getStatus();
        String message = ok ? "Backup " + run.name() + " completed"
                : "Backup " + run.name() + " did not complete: "
                + (status == null || status.message() == null ? "no message" : status.message());
        condition(ConditionType.LastBackupSucceeded, ok, reason, message, now);
    }

    private long skippedRuns() {
        return skippedRuns == null ? 0 : skippedRuns;
    }
}
