package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where an agent Job stands, with the agent's result when it has finished. The result comes from the last
 * finished Pod's termination message, so the Job itself needs no API permission at all.
 */
public record JobOutcome(State state, AgentResult result, String jobFailureReason, String jobFailureMessage) {

    public enum State { RUNNING, SUCCEEDED, FAILED }

    public static JobOutcome of(Job job, KubernetesClient client) {
        Optional<JobCondition> finished = conditions(job).stream()
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                .findFirst();
        if (finished.isEmpty()) {
            return new JobOutcome(State.RUNNING, null, null, null);
        }
        AgentResult result = AgentResult.parse(lastTerminationMessage(job, client));
        JobCondition c = finished.get();
        if ("Complete".equals(c.getType())) {
            return new JobOutcome(State.SUCCEEDED, result, null, null);
        }
        return new JobOutcome(State.FAILED, result, c.getReason(), c.getMessage());
    }

    private static List<JobCondition> conditions(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return List.of();
        }
        return job.getStatus().getConditions();
    }

    private static String lastTerminationMessage(Job job, KubernetesClient client) {
        List<Pod> pods = client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("job-name", job.getMetadata().getName()).list().getItems();
        return pods.stream()
                .map(JobOutcome::terminated)
                .flatMap(Optional::stream)
                .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()))
                .map(ContainerStateTerminated::getMessage)
                .orElse(null);
    }

    private static Optional<ContainerStateTerminated> terminated(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> AgentJobBuilder.CONTAINER.equals(s.getName()) || s.getName() == null)
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated())
                .findFirst();
    }
}
