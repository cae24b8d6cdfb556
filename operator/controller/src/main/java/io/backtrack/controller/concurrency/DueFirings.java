package io.backtrack.controller.concurrency;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scheduled runs come before Backup starts. Hundreds of schedules often fire in the same second (every `0 * * * *`
 * of a cluster, or a fifth of a set of `H/5`); each run is a Backup create, and each Backup's start that follows (its
 * Job, the Pod the Job controller makes, the scheduler's answer, Events, statuses) costs the operator and the API
 * server several times as much. Left to arrive in any order, the starts of the first runs delay the creation of the
 * last ones by seconds. So while a firing is due and its schedule has not yet created its run, a Backup that would
 * start waits {@link #HOLD} and looks again: the runs are all created on time, and their Jobs a moment later.
 *
 * <p>Kept in memory, by the schedule controller, per schedule: the next firing it will act on. A firing stops holding
 * starts once its schedule has reconciled past it, or {@link #GIVE_UP} after it was due, so a schedule whose reconcile
 * keeps failing (or an operator that lost its lease) delays no Backup for longer than that. Restores are never held.
 */
@ApplicationScoped
public class DueFirings {
    public static final Duration HOLD = Duration.ofMillis(250);
    static final Duration GIVE_UP = Duration.ofSeconds(5);

    private final Map<ResourceID, Instant> next = new ConcurrentHashMap<>();

    /** The schedule's next firing, as its last reconcile decided ({@code null}: none, e.g. suspended or invalid). */
    public void expect(ResourceID schedule, Instant firing) {
        if (firing == null) {
            next.remove(schedule);
        } else {
            next.put(schedule, firing);
        }
    }

    public void forget(ResourceID schedule) {
        next.remove(schedule);
    }

    /** Whether a Backup should hold its start: a firing is due and its run not created yet. */
    public boolean holdStarts(Instant now) {
        Instant oldest = now.minus(GIVE_UP);
        for (Instant firing : next.values()) {
            if (!firing.isAfter(now) && firing.isAfter(oldest)) {
                return true;
            }
        }
        return false;
    }
}
