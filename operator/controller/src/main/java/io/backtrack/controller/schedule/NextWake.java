package io.backtrack.controller.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How long a schedule sleeps after a reconcile. JOSDK starts the timer when the reconcile's status patch has
 * returned, not when it read the clock, so a wait computed from the reconcile's "now" lands late by the reconcile's
 * duration: up to seconds when a thousand schedules are applied together. The wait therefore ends
 * {@link #LEAD} before a firing; that reconcile usually has nothing to write, so its timer starts as it returns and
 * the run is created on time. Not for a firing within {@link #EARLY_FROM}: a schedule that fires every minute would pay the extra
 * reconcile at every firing, and with a thousand of them due in the same second that cost more lateness than the
 * drift (docs/performance.md).
 */
record NextWake(Duration max) {
    static final Duration LEAD = Duration.ofSeconds(3);
    static final Duration EARLY_FROM = Duration.ofSeconds(90);
    private static final Duration MIN = Duration.ofMillis(50);

    /** The wait from {@code now}: until the next firing (less the lead), the next ttl expiry, or {@code max}. */
    Duration after(Instant now, Instant nextFiring, List<Instant> expiries) {
        Duration wait = max;
        if (nextFiring != null) {
            Duration untilFiring = Duration.between(now, nextFiring);
            wait = min(wait, untilFiring.compareTo(EARLY_FROM) > 0 ? untilFiring.minus(LEAD) : untilFiring);
        }
        for (Instant expiry : expiries) {
            if (expiry.isAfter(now)) {
                wait = min(wait, Duration.between(now, expiry));
            }
        }
        return wait.compareTo(MIN) < 0 ? MIN : wait;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
