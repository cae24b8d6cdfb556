package io.backtrack.e2e.sandbox;

import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.Map;
import java.util.Set;

/** A Backtrack resource the sandbox applied and follows, with the final phase its manifest expects (if any). */
record Tracked(String apiVersion, String kind, String namespace, String name, String expect) {
    static final Set<String> TERMINAL = Set.of("Completed", "Failed", "(deleted)");

    GenericKubernetesResource get(BacktrackEnvironment env) {
        return env.client().genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
    }

    String phase(BacktrackEnvironment env) {
        if (ScheduleProgress.isSchedule(this)) {
            return ScheduleProgress.phase(env, this);
        }
        GenericKubernetesResource r = get(env);
        if (r == null) {
            return "(deleted)";
        }
        Object status = r.getAdditionalProperties().get("status");
        if (status instanceof Map<?, ?> map && map.get("phase") != null) {
            return map.get("phase").toString();
        }
        return "(no status)";
    }
}
