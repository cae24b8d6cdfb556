package io.backtrack.controller.status;

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

    /** The status as drafted so far. */
    public abstract S build();
}
