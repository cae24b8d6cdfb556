package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent Pods that have not started (phase Pending), watched: a Pod the scheduler cannot place, or whose image
 * cannot be pulled, reconciles its Backup or Restore when what {@link PodTrouble} reads of it changes. Before, every
 * resource whose Job had no ready Pod listed its Pods every 15 seconds until one ran: with a thousand runs waiting for
 * a node that was 55 lists a second and most of what the operator received from the API server and decrypted
 * (docs/performance.md, operator at scale).
 *
 * <p>The API server selects on status.phase, so a Pod leaves this cache when it starts running; the cache keeps only
 * what {@link PodTrouble} reads. A Pod is linked to its resource through its Job (its controller) and that Job's own
 * owner, as the Job informer has them: whichever of the Pod's and the Job's events arrives last finds the other in
 * its cache.
 */
public final class AgentPods<P extends HasMetadata> implements JobPods {
    private static final String BY_JOB = "job-uid";
    private static final String[] KEPT = {"metadata.ownerReferences", "metadata.creationTimestamp",
            "metadata.deletionTimestamp", "spec.nodeName", "status.phase", "status.startTime", "status.conditions",
            "status.containerStatuses"};

    private final InformerEventSource<Pod, P> source;

    private AgentPods(InformerEventSource<Pod, P> source) {
        this.source = source;
    }

    /**
     * @param labelSelector the Pods of the resource's Jobs (their template carries the Job's labels)
     * @param jobs          the informer of the resource's Jobs
     * @param jobOwner      how that informer maps a Job to its resource
     */
    public static <P extends HasMetadata> AgentPods<P> watch(EventSourceContext<P> context, Class<P> resource,
                                                             String labelSelector, InformerEventSource<Job, P> jobs,
                                                             SecondaryToPrimaryMapper<Job> jobOwner) {
        SecondaryToPrimaryMapper<Pod> toResource = pod -> job(pod)
                .flatMap(owner -> jobs.get(new ResourceID(owner.getName(), pod.getMetadata().getNamespace())))
                .map(jobOwner::toPrimaryResourceIDs)
                .orElse(Set.of());
        var config = InformerEventSourceConfiguration.from(Pod.class, resource)
                .withLabelSelector(labelSelector)
                .withFieldSelector(new FieldSelector(new FieldSelector.Field("status.phase", "Pending")))
                .withItemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Pod.class,
                        new KubernetesSerialization(), KEPT))
                .withSecondaryToPrimaryMapper(toResource)
                // Only what PodTrouble reads: not a Pod's creation, not the kubelet's other writes, and a Pod leaving
                // Pending only when it had said something (its Job's ready count changes anyway).
                .withOnAddFilter(pod -> PodTrouble.Signs.of(pod).any())
                .withOnUpdateFilter((before, after) -> !PodTrouble.Signs.of(before).equals(PodTrouble.Signs.of(after)))
                .withOnDeleteFilter((pod, unknownState) -> PodTrouble.Signs.of(pod).any())
                .build();
        var source = new InformerEventSource<>(config, context);
        source.addIndexers(Map.of(BY_JOB, pod -> job(pod).map(owner -> List.of(owner.getUid())).orElse(List.of())));
        return new AgentPods<>(source);
    }

    /** The event source to register with the resource's controller. */
    public InformerEventSource<Pod, P> source() {
        return source;
    }

    @Override
    public List<Pod> of(Job job) {
        return source.byIndex(BY_JOB, job.getMetadata().getUid());
    }

    private static Optional<OwnerReference> job(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners == null ? Optional.empty() : owners.stream()
                .filter(o -> "Job".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                .findFirst();
    }
}
