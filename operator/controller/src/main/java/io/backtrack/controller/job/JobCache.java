package io.backtrack.controller.job;

import io.backtrack.controller.cache.SharedEmpties;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

import java.util.Map;

/**
 * What the informers keep of each agent Job: the fields the reconcilers read (status, owner, labels, the deadline
 * named in a failure message), not the Pod template, which is most of a Job's size. With thousands of Backups the
 * full Jobs were the largest part of the operator's heap (docs/performance.md, operator at scale).
 *
 * <p>Kept as a Job of those fields alone, not as fabric8's {@code ReducedStateItemStore} keeps them (nested maps,
 * turned back into a Job on every read), with its empty maps and lists shared ({@link SharedEmpties}): measured at
 * 1.1 KB per Job against 2.3 KB (bench/results/cache-footprint/), and a read costs nothing.
 */
public final class JobCache {
    private JobCache() {
    }

    public static ItemStore<Job> reduced() {
        return new TransformingItemStore<>(JobCache::kept);
    }

    /** A new Job, so nothing else holds the dropped fields; name, namespace and resourceVersion are the store's. */
    static Job kept(Job job) {
        ObjectMeta metadata = ownedBy(job.getMetadata());
        metadata.setUid(job.getMetadata().getUid());
        metadata.setLabels(job.getMetadata().getLabels());
        Job kept = new Job();
        kept.setAdditionalProperties(Map.of());
        kept.setMetadata(SharedEmpties.metadata(metadata));
        if (job.getSpec() != null) {
            JobSpec spec = new JobSpec();
            spec.setAdditionalProperties(Map.of());
            spec.setActiveDeadlineSeconds(job.getSpec().getActiveDeadlineSeconds());
            kept.setSpec(spec);
        }
        kept.setStatus(shared(job.getStatus()));
        return kept;
    }

    /** A new ObjectMeta of an agent object's identity, its owner and its deletion; the rest is up to the caller. */
    static ObjectMeta ownedBy(ObjectMeta from) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(from.getName());
        metadata.setNamespace(from.getNamespace());
        metadata.setResourceVersion(from.getResourceVersion());
        metadata.setOwnerReferences(from.getOwnerReferences());
        metadata.setDeletionTimestamp(from.getDeletionTimestamp());
        return metadata;
    }

    private static JobStatus shared(JobStatus status) {
        if (status != null) {
            status.setAdditionalProperties(SharedEmpties.map(status.getAdditionalProperties()));
            status.setConditions(SharedEmpties.list(status.getConditions()));
            if (status.getConditions() != null) {
                status.getConditions().forEach(c -> c.setAdditionalProperties(SharedEmpties.map(c.getAdditionalProperties())));
            }
            UncountedTerminatedPods uncounted = status.getUncountedTerminatedPods();
            if (uncounted != null) {
                uncounted.setAdditionalProperties(SharedEmpties.map(uncounted.getAdditionalProperties()));
                uncounted.setFailed(SharedEmpties.list(uncounted.getFailed()));
                uncounted.setSucceeded(SharedEmpties.list(uncounted.getSucceeded()));
            }
        }
        return status;
    }
}
