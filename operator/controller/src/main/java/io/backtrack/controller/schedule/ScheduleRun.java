package io.backtrack.controller.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.controller.retention.RestoreProtection;
import io.backtrack.controller.retention.RetentionCandidate;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.Optional;

/**
 * One Backup a schedule created, and where it stands from the schedule's point of view.
 *
 * <p>BLOCKED is a run whose Backup could not start (Pending with a reason such as SecretNotFound, no Job): it
 * counts as a failed run (it does not hold back the next run under Forbid, it becomes lastFailedBackup and the
 * "newest run failed" rule applies). If its Secret appears later it still starts, and from then on it is
 * treated like any other run.
 */
public record ScheduleRun(Backup backup, Instant scheduledAt, State state) {

    public enum State { ACTIVE, BLOCKED, COMPLETED, FAILED, DELETING }

    public static ScheduleRun of(Backup backup) {
        return new ScheduleRun(backup, scheduledAt(backup), state(backup));
    }

    /**
     * Everything of its Backup that a schedule's reconcile reads: the run's state and outcome, retention's view and
     * the deletionPolicy Replace acts on. The schedule's Backup informer passes an update on only when this
     * changes, so a running Backup's own writes (its Job name, its progress) do not each reconcile the schedule.
     */
    record Seen(State state, Instant scheduledAt, Instant finishedAt, Optional<String> failureReason, String message,
                Optional<RetentionCandidate> candidate, DeletionPolicy deletionPolicy) {
    }

    Seen seen() {
        BackupStatus s = backup.getStatus();
        boolean finished = state == State.COMPLETED || failed(); // only a finished run's outcome is read
        return new Seen(state, scheduledAt, finished ? finishedAt() : null, finished ? failureReason() : Optional.empty(),
                finished && s != null ? s.message() : null, candidate(),
                backup.getSpec() == null ? null : backup.getSpec().deletionPolicyOrDefault());
    }

    /** The update of a run's Backup from {@code before} to {@code after} changes what its schedule sees. */
    public static boolean changesItsSchedule(Backup before, Backup after) {
        return !of(before).seen().equals(of(after).seen());
    }

    public String name() {
        return backup.getMetadata().getName();
    }

    public boolean failed() {
        return state == State.FAILED || state == State.BLOCKED;
    }

    /** When it finished: completedAt, else (blocked) when it was due. */
    public Instant finishedAt() {
        BackupStatus s = backup.getStatus();
        return s != null && s.completedAt() != null ? Instant.parse(s.completedAt()) : scheduledAt;
    }

    public Optional<String> failureReason() {
        BackupStatus s = backup.getStatus();
        return Optional.ofNullable(s == null ? null : Conditions.readyReason(s.conditions()));
    }

    /** Retention's view; empty for runs that have not finished. */
    public Optional<RetentionCandidate> candidate() {
        if (state != State.COMPLETED && !failed()) {
            return Optional.empty();
        }
        BackupStatus s = backup.getStatus();
        boolean completed = state == State.COMPLETED;
        String key = s.archive() != null && s.archive().key() != null ? s.archive().key() : null;
        long size = s.archive() != null && s.archive().sizeBytes() != null ? s.archive().sizeBytes() : 0;
        return Optional.of(new RetentionCandidate(name(),
                completed ? RetentionCandidate.Outcome.COMPLETED : RetentionCandidate.Outcome.FAILED,
                scheduledAt, finishedAt(), key, size,
                s.expiresAt() == null ? null : Instant.parse(s.expiresAt()),
                backup.getSpec() == null ? null : backup.getSpec().ttl(),
                RestoreProtection.of(backup).orElse(null)));
    }

    private static Instant scheduledAt(Backup backup) {
        var annotations = backup.getMetadata().getAnnotations();
        String at = annotations == null ? null : annotations.get(BacktrackApi.SCHEDULED_AT_ANNOTATION);
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (RuntimeException e) {
                // a hand-edited annotation: fall back to the creation time
            }
        }
        String created = backup.getMetadata().getCreationTimestamp();
        return created == null ? Instant.EPOCH : Instant.parse(created);
    }

    private static State state(Backup backup) {
        if (backup.getMetadata().getDeletionTimestamp() != null) {
            return State.DELETING;
        }
        BackupStatus s = backup.getStatus();
        if (s == null || s.phase() == null || s.phase() == BackupPhase.Running) {
            return State.ACTIVE;
        }
        return switch (s.phase()) {
            case Completed -> State.COMPLETED;
            case Failed -> State.FAILED;
            case Pending -> s.jobName() == null && failureReasonPresent(s) ? State.BLOCKED : State.ACTIVE;
            case Running -> State.ACTIVE;
        };
    }

    /** Held back for a reason (SecretNotFound, …); waiting in the queue for a slot (reason Queued) is no failure. */
    private static boolean failureReasonPresent(BackupStatus s) {
        Condition ready = Conditions.find(s.conditions(), ConditionType.Ready);
        return ready != null && "False".equals(ready.getStatus()) && ready.getReason() != null
                && !ConditionReason.Queued.name().equals(ready.getReason());
    }
}
