package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * What the informers keep of each agent Job: the fields the reconcilers read (status, owner, labels, the deadline
 * named in a failure message), not the Pod template, which is most of a Job's size. With thousands of Backups the
 * full Jobs were the largest part of the operator's heap (docs/performance.md, operator at scale).
 */
public final class JobCache {
    private static final String[] KEPT = {"metadata.uid", "metadata.labels", "metadata.ownerReferences",
            "metadata.deletionTimestamp", "spec.activeDeadlineSeconds", "status"};

    private JobCache() {
    }

    /** A Job is a built-in type: the default serialization reads and writes it. */
    public static ItemStore<Job> reduced() {
        return new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Job.class, new KubernetesSerialization(),
                KEPT);
    }
}
