package io.backtrack.controller.concurrency;

import io.backtrack.api.ConditionReason;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.status.StatusDraft;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** What a Backup or Restore that waits says: Ready False, reason Queued, once in status and once as an Event. */
public final class QueuedStatus {
    private static final String QUEUED = ConditionReason.Queued.name();

    private QueuedStatus() {
    }

    /**
     * @param draft the resource's status draft, as it is before it says it waits
     * @return whether its status must be written: false when it already says exactly this; an Event is recorded
     *         when it was not waiting before
     */
    public static boolean announce(EventRecorder events, HasMetadata resource, StatusDraft<?> draft, String message) {
        if (draft.readySays(false, QUEUED, message)) {
            return false;
        }
        if (!QUEUED.equals(draft.readyReason())) {
            events.normal(resource, QUEUED, message);
        }
        return true;
    }
}
