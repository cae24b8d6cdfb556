package io.backtrack.controller.status;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.util.List;

/**
 * The one way the reconcilers write status: a draft per resource, made from the status the resource has, changed
 * during the reconcile by named steps (a step sets the phase, the message and the conditions that go with it
 * together), and built once into the immutable status record at the end. Every condition it writes carries the
 * resource's generation; its lastTransitionTime moves only when its status does.
 * <p>
 * The conditions follow kstatus: every step sets Ready, Reconciling and Stalled together ({@link #inProgress},
 * {@link #ready}, {@link #stalled}), so exactly one of them is True, all three with the step's reason and message.
 *
 * @param <S> the resource's status record
 */
public abstract class StatusDraft<S> {
    private final Long generation;
    private List<Condition> conditions;

    protected StatusDraft(HasMetadata resource, List<Condition> conditions) {
        this.generation = resource.getMetadata().getGeneration();
        this.conditions = conditions;
    }

    /** Sets one condition, of this generation. */
    protected final void condition(ConditionType type, boolean status, String reason, String message, Instant now) {
        conditions = Conditions.set(conditions, type, status, reason, message, generation, now);
    }

    /** kstatus, work in progress (waiting or running): Ready False, Reconciling True, Stalled False. */
    protected final void inProgress(String reason, String message, Instant now) {
        kstatus(ConditionType.Reconciling, reason, message, now);
    }

    /** kstatus, what it should be: Ready True, Reconciling False, Stalled False. */
    protected final void ready(String reason, String message, Instant now) {
        kstatus(ConditionType.Ready, reason, message, now);
    }

    /** kstatus, a terminal failure or a problem only a change can fix: Ready False, Reconciling False, Stalled True. */
    protected final void stalled(String reason, String message, Instant now) {
        kstatus(ConditionType.Stalled, reason, message, now);
    }

    /** Backup and Restore: Completed True once finished, reason Succeeded or Failed. */
    protected final void finished(boolean succeeded, String message, Instant now) {
        condition(ConditionType.Completed, true,
                (succeeded ? ConditionReason.Succeeded : ConditionReason.Failed).name(), message, now);
    }

    /** Backup and Restore: Completed False while it waits or runs, with the reason it does. */
    protected final void unfinished(String reason, String message, Instant now) {
        condition(ConditionType.Completed, false, reason, message, now);
    }

    /**
     * A reconcile failed (an API request, or reading what came back): Reconciling while JOSDK retries, Stalled on its
     * last attempt. Phase, message and the Completed condition stay as they are: the work itself has not ended.
     */
    public final void reconcileError(String message, boolean lastAttempt, Instant now) {
        String reason = ConditionReason.ReconcileError.name();
        if (lastAttempt) {
            stalled(reason, message + "; no more retries until the resource changes or the operator restarts", now);
        } else {
            inProgress(reason, message + "; retrying", now);
        }
    }

    /**
     * A finished Backup or Restore whose status an older operator wrote, with Ready alone: adds the Reconciling,
     * Stalled and Completed conditions its outcome implies, with Ready's reason and message.
     *
     * @return whether it added them (false when they are there, or there is no Ready to go by)
     */
    protected final boolean settle(boolean succeeded, Instant now) {
        Condition ready = Conditions.find(conditions, ConditionType.Ready);
        if (has(ConditionType.Completed) || ready == null) {
            return false;
        }
        if (succeeded) {
            ready(ready.getReason(), ready.getMessage(), now);
        } else {
            stalled(ready.getReason(), ready.getMessage(), now);
        }
        finished(succeeded, ready.getMessage(), now);
        return true;
    }

    /** Whether the resource's status has this condition (a status an older operator wrote may lack the newer ones). */
    protected final boolean has(ConditionType type) {
        return Conditions.find(conditions, type) != null;
    }

    /** Drops a condition that no longer applies. */
    protected final void removeCondition(ConditionType type) {
        if (conditions != null) {
            conditions = conditions.stream().filter(c -> !type.name().equals(c.getType())).toList();
        }
    }

    protected final List<Condition> conditions() {
        return conditions;
    }

    /** The metadata.generation this status describes. */
    protected final Long generation() {
        return generation;
    }

    /** The Ready condition's reason as the resource has it now, or null. */
    public final String readyReason() {
        return Conditions.readyReason(conditions);
    }

    /** Whether Ready already says exactly this (then neither a status write nor an Event is due). */
    public final boolean readySays(boolean status, String reason, String message) {
        return Conditions.says(conditions, ConditionType.Ready, status, reason, message);
    }

    /** Sets Ready, Reconciling and Stalled: the one given True, the two others False, all with this reason and message. */
    private void kstatus(ConditionType trueOne, String reason, String message, Instant now) {
        for (ConditionType type : List.of(ConditionType.Ready, ConditionType.Reconciling, ConditionType.Stalled)) {
            condition(type, type == trueOne, reason, message, now);
        }
    }

    /** The status as drafted so far. */
    public abstract S build();
}
