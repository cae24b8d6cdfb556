package io.backtrack.controller.status;

import io.backtrack.api.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Maintains metav1.Condition lists: lastTransitionTime moves only when the status really changes. */
public final class Conditions {

    private Conditions() {
    }

    public static List<Condition> set(List<Condition> current, ConditionType type, boolean status, String reason,
                                      String message, Long generation, Instant now) {
        String statusText = status ? "True" : "False";
        Condition previous = find(current, type);
        String transition = previous != null && statusText.equals(previous.getStatus())
                ? previous.getLastTransitionTime()
                : now.toString();
        Condition next = new ConditionBuilder()
                .withType(type.name())
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build();
        List<Condition> result = new ArrayList<>();
        if (current != null) {
            current.stream().filter(c -> !Objects.equals(c.getType(), type.name())).forEach(result::add);
        }
        result.add(next);
        return result;
    }

    public static Condition find(List<Condition> conditions, ConditionType type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> Objects.equals(c.getType(), type.name())).findFirst().orElse(null);
    }

    /** The Ready condition's reason, or null when there is none. */
    public static String readyReason(List<Condition> conditions) {
        Condition ready = find(conditions, ConditionType.Ready);
        return ready == null ? null : ready.getReason();
    }

    /** True when the condition already says exactly this, so no new Event is due. */
    public static boolean says(List<Condition> conditions, ConditionType type, boolean status, String reason,
                               String message) {
        Condition c = find(conditions, type);
        return c != null && Objects.equals(c.getStatus(), status ? "True" : "False")
                && Objects.equals(c.getReason(), reason) && Objects.equals(c.getMessage(), message);
    }
}
