package io.backtrack.controller.concurrency;

import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

/** What a Backup or Restore that waits says: Ready False, reason Queued, once in status and once as an Event. */
public final class QueuedStatus {
    private QueuedStatus() {
    }

    /**
     * @param conditions the resource's current conditions (may be null)
     * @return whether its status must be written: false when it already says exactly this; an Event is recorded
     *         when it was not waiting before
     */
    public static boolean announce(EventRecorder events, HasMetadata resource, List<Condition> conditions, String message) {
        if (Conditions.says(conditions, Conditions.READY, false, ConcurrencyGate.QUEUED, message)) {
            return false;
        }
        Condition ready = Conditions.find(conditions, Conditions.READY);
        if (ready == null || !ConcurrencyGate.QUEUED.equals(ready.getReason())) {
            events.normal(resource, ConcurrencyGate.QUEUED, message);
        }
        return true;
    }
}
