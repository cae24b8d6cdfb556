package io.backtrack.controller.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a run is due: a pure function of the schedule, the next due time recorded in status, the
 * time now and the starting deadline.
 *
 * <p>Only the latest due run is ever started (a run missed while the operator was down is taken once); it is
 * skipped instead when it is later than startingDeadlineSeconds. While suspended, due runs pass silently and
 * are not made up after resuming.
 */
public final class RunPlanner {
    private static final int MAX_COUNT = 10_000;

    private RunPlanner() {
    }

    /**
     * @param recordedNext status.nextScheduleTime, or null on first sight or after the spec changed
     */
    public static RunDecision decide(CronSchedule cron, Instant recordedNext, Instant now, Optional<Duration> startingDeadline,
                                     boolean suspended) {
        Instant next = cron.nextAfter(now).orElse(null);
        if (recordedNext == null || now.isBefore(recordedNext)) {
            return RunDecision.wait(recordedNext == null ? next : recordedNext);
        }
        Instant latest = cron.latestAtOrBefore(now).orElse(recordedNext);
        long passedOver = countBetween(cron, recordedNext, latest);
        if (suspended) {
            return new RunDecision(Optional.empty(), Optional.empty(), 0, next);
        }
        Duration late = Duration.between(latest, now);
        if (startingDeadline.isPresent() && late.compareTo(startingDeadline.get()) > 0) {
            String message = "the run due at " + latest + " was " + late.toSeconds() + "s late, more than startingDeadlineSeconds "
                    + startingDeadline.get().toSeconds() + " (was the operator down?); skipped"
                    + (passedOver > 0 ? "; " + passedOver + " earlier due run(s) passed over too" : "");
            return new RunDecision(Optional.empty(), Optional.of(new RunDecision.Skip(latest, "MissedStartingDeadline", message)),
                    passedOver, next);
        }
        return new RunDecision(Optional.of(latest), Optional.empty(), passedOver, next);
    }

    /** Due times in [from, to), counted up to a cap. */
    static long countBetween(CronSchedule cron, Instant from, Instant to) {
        long count = 0;
        Instant t = from;
        while (t.isBefore(to) && count < MAX_COUNT) {
            count++;
            t = cron.nextAfter(t).orElse(to);
        }
        return count;
    }
}
