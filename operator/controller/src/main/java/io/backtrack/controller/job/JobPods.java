package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.List;

/** Where a reconciler finds an agent Job's Pods that have not started: {@link AgentPods} in the operator. */
@FunctionalInterface
public interface JobPods {
    List<Pod> of(Job job);
}
