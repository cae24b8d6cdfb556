package io.backtrack.api.restore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Workloads that use the database: scaled to 0 while it is restored, then back to their replica counts. */
public record Quiesce(
        @JsonPropertyDescription("Deployments in the Restore's namespace.")
        List<String> deployments,
        @JsonPropertyDescription("StatefulSets in the Restore's namespace.")
        List<String> statefulSets) {

    public List<String> deploymentsOrEmpty() {
        return deployments == null ? List.of() : deployments;
    }

    public List<String> statefulSetsOrEmpty() {
        return statefulSets == null ? List.of() : statefulSets;
    }
}
