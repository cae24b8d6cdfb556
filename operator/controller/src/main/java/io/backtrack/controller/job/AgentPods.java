package io.backtrack.controller.job;

import io.backtrack.controller.cache.SharedEmpties;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

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
                .withItemStore(new TransformingItemStore<>(AgentPods::kept))
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

    /**
     * What {@link PodTrouble} reads of a Pod, in a new Pod as {@link JobCache} keeps a Job: its owner, creation and
     * deletion times, node, phase, start time, conditions and container statuses.
     */
    static Pod kept(Pod pod) {
        ObjectMeta metadata = JobCache.ownedBy(pod.getMetadata());
        metadata.setCreationTimestamp(pod.getMetadata().getCreationTimestamp());
        Pod kept = new Pod();
        kept.setAdditionalProperties(Map.of());
        kept.setMetadata(SharedEmpties.metadata(metadata));
        if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
            kept.setSpec(new PodSpecBuilder().withNodeName(pod.getSpec().getNodeName()).build());
        }
        PodStatus status = pod.getStatus();
        if (status != null) {
            PodStatus k = new PodStatus();
            k.setAdditionalProperties(Map.of());
            k.setPhase(status.getPhase());
            k.setStartTime(status.getStartTime());
            k.setConditions(SharedEmpties.list(status.getConditions()));
            if (status.getConditions() != null) {
                status.getConditions().forEach(c -> c.setAdditionalProperties(SharedEmpties.map(c.getAdditionalProperties())));
            }
            k.setContainerStatuses(SharedEmpties.list(status.getContainerStatuses()));
            k.setEphemeralContainerStatuses(List.of());
            k.setInitContainerStatuses(List.of());
            k.setHostIPs(List.of());
            k.setPodIPs(List.of());
            k.setResourceClaimStatuses(List.of());
            kept.setStatus(k);
        }
        return kept;
    }

    private static Optional<OwnerReference> job(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners == null ? Optional.empty() : owners.stream()
                .filter(o -> "Job".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
                .findFirst();
    }
}
