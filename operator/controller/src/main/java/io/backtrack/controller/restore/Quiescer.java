package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.restore.Quiesce;
import io.backtrack.api.restore.QuiescedWorkload;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scales the workloads that use the database to 0 for the restore and back afterwards. The replica counts are
 * recorded twice — in the Restore's status and in an annotation on each workload — so an operator restart
 * in between never loses them.
 */
final class Quiescer {
    static final String DEPLOYMENT = "Deployment";
    static final String STATEFUL_SET = "StatefulSet";

    private final KubernetesClient client;

    Quiescer(KubernetesClient client) {
        this.client = client;
    }

    /** Names the workloads that do not exist, or empty when all do. */
    Optional<String> missing(String namespace, Quiesce quiesce) {
        List<String> missing = new ArrayList<>();
        quiesce.deploymentsOrEmpty().stream().filter(n -> resource(namespace, DEPLOYMENT, n).get() == null)
                .forEach(n -> missing.add("Deployment " + namespace + "/" + n));
        quiesce.statefulSetsOrEmpty().stream().filter(n -> resource(namespace, STATEFUL_SET, n).get() == null)
                .forEach(n -> missing.add("StatefulSet " + namespace + "/" + n));
        return missing.isEmpty() ? Optional.empty()
                : Optional.of(String.join(", ", missing) + (missing.size() == 1 ? " does" : " do") + " not exist; fix spec.quiesce");
    }

    /** The replica counts to go back to; a workload this Restore already scaled down keeps its recorded count. */
    List<QuiescedWorkload> plan(String namespace, String restoreName, Quiesce quiesce) {
        List<QuiescedWorkload> plan = new ArrayList<>();
        quiesce.deploymentsOrEmpty().forEach(n -> plan.add(record(namespace, restoreName, DEPLOYMENT, n)));
        quiesce.statefulSetsOrEmpty().forEach(n -> plan.add(record(namespace, restoreName, STATEFUL_SET, n)));
        return plan;
    }

    /** Scales every workload to 0; true once none has a replica left. */
    boolean scaleDown(String namespace, String restoreName, List<QuiescedWorkload> workloads) {
        boolean allDown = true;
        for (QuiescedWorkload w : workloads) {
            if (resource(namespace, w.kind(), w.name()).get() == null) {
                continue;
            }
            HasMetadata scaled = edit(namespace, w.kind(), w.name(), 0, Map.of(
                    BacktrackApi.QUIESCED_BY_ANNOTATION, restoreName,
                    BacktrackApi.REPLICAS_BEFORE_ANNOTATION, Integer.toString(w.replicas())));
            allDown &= currentReplicas(scaled) == 0;
        }
        return allDown;
    }

    /** Puts the recorded replica counts back; returns what could not be restored, for an Event. */
    List<String> scaleUp(String namespace, String restoreName, List<QuiescedWorkload> workloads) {
        List<String> problems = new ArrayList<>();
        for (QuiescedWorkload w : workloads) {
            HasMetadata current = resource(namespace, w.kind(), w.name()).get();
            if (current == null) {
                problems.add(w.kind() + " " + namespace + "/" + w.name() + " no longer exists");
                continue;
            }
            String owner = annotations(current).get(BacktrackApi.QUIESCED_BY_ANNOTATION);
            if (owner != null && !owner.equals(restoreName)) {
                problems.add(w.kind() + " " + namespace + "/" + w.name() + " is now held by Restore " + owner);
                continue;
            }
            Map<String, String> remove = new HashMap<>();
            remove.put(BacktrackApi.QUIESCED_BY_ANNOTATION, null);
            remove.put(BacktrackApi.REPLICAS_BEFORE_ANNOTATION, null);
            edit(namespace, w.kind(), w.name(), w.replicas(), remove);
        }
        return problems;
    }

    private QuiescedWorkload record(String namespace, String restoreName, String kind, String name) {
        HasMetadata w = resource(namespace, kind, name).get();
        Map<String, String> annotations = annotations(w);
        if (restoreName.equals(annotations.get(BacktrackApi.QUIESCED_BY_ANNOTATION))
                && annotations.get(BacktrackApi.REPLICAS_BEFORE_ANNOTATION) != null) {
            return new QuiescedWorkload(kind, name, Integer.parseInt(annotations.get(BacktrackApi.REPLICAS_BEFORE_ANNOTATION)));
        }
        Integer replicas = w instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) w).getSpec().getReplicas();
        return new QuiescedWorkload(kind, name, replicas == null ? 1 : replicas);
    }

    /** @return the workload as the API server holds it after the change */
    private HasMetadata edit(String namespace, String kind, String name, int replicas, Map<String, String> annotationChanges) {
        if (DEPLOYMENT.equals(kind)) {
            return client.apps().deployments().inNamespace(namespace).withName(name).edit(d -> {
                d.getSpec().setReplicas(replicas);
                apply(d, annotationChanges);
                return d;
            });
        }
        return client.apps().statefulSets().inNamespace(namespace).withName(name).edit(s -> {
            s.getSpec().setReplicas(replicas);
            apply(s, annotationChanges);
            return s;
        });
    }

    private static void apply(HasMetadata w, Map<String, String> changes) {
        Map<String, String> annotations = new HashMap<>(annotations(w));
        changes.forEach((k, v) -> {
            if (v == null) {
                annotations.remove(k);
            } else {
                annotations.put(k, v);
            }
        });
        w.getMetadata().setAnnotations(annotations);
    }

    private static Map<String, String> annotations(HasMetadata w) {
        return w.getMetadata().getAnnotations() == null ? Map.of() : w.getMetadata().getAnnotations();
    }

    private static int currentReplicas(HasMetadata w) {
        Integer replicas = w instanceof Deployment d
                ? (d.getStatus() == null ? null : d.getStatus().getReplicas())
                : (((StatefulSet) w).getStatus() == null ? null : ((StatefulSet) w).getStatus().getReplicas());
        return replicas == null ? 0 : replicas;
    }

    private Resource<? extends HasMetadata> resource(String namespace, String kind, String name) {
        return DEPLOYMENT.equals(kind)
                ? client.apps().deployments().inNamespace(namespace).withName(name)
                : client.apps().statefulSets().inNamespace(namespace).withName(name);
    }
}
