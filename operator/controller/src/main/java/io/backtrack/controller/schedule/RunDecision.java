package io.backtrack.controller.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * What to do about the schedule's clock right now.
 *
 * @param start     a run that is due and should start (its due time)
 * @param skip      a run that was due but is skipped (missed its starting deadline)
 * @param passedOver earlier due runs that were neither started nor skipped individually (the operator was down
 *                  or the schedule suspended); only the latest due run is ever taken
 * @param next      the next due time, recorded as status.nextScheduleTime
 */
public record RunDecision(Optional<Instant> start, Optional<Skip> skip, long passedOver, Instant next) {

    public record Skip(Instant scheduledAt, String reason, String message) {
    }

    static RunDecision wait(Instant next) {
        return new RunDecision(Optional.empty(), Optional.empty(), 0, next);
    }
}
