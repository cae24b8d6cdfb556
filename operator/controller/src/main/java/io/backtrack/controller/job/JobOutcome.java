package io.backtrack.controller.job;

import io.backtrack.contract.result.ResultLine;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an agent Job stands, with the agent's result when it has finished: the contract's {@link ResultLine}, read as
 * the command's typed result with {@code result().as(...)}. The result comes from a finished Pod's termination
 * message, so the Job itself needs no API permission at all.
 *
 * @param agentExit for a failed Job: how the chosen attempt's container ended ("exit code 137 (OOMKilled)"), a fixed
 *                  description from the kubelet's fields, never its output; null when no attempt ended
 */
public record JobOutcome(State state, ResultLine result, String jobFailureReason, String jobFailureMessage,
                         String agentExit) {

    public enum State { RUNNING, SUCCEEDED, FAILED }

    private static final Comparator<ContainerStateTerminated> BY_END = Comparator
            .comparing((ContainerStateTerminated t) -> Objects.requireNonNullElse(t.getFinishedAt(), ""))
            .thenComparing(t -> Objects.requireNonNullElse(t.getStartedAt(), ""));

    public static JobOutcome of(Job job, KubernetesClient client) {
        if (finished(job).isEmpty()) {
            return running();
        }
        return of(job, client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("job-name", job.getMetadata().getName()).list().getItems());
    }

    /**
     * The outcome from the Job and its Pods. A failed Job's result is the first attempt that ended with the agent's
     * own report of a failure (a reason): later attempts of a Job without podFailurePolicy (or one the agent's report
     * did not stop) can only report what the first one left behind, e.g. a swap's side database already dropped.
     */
    public static JobOutcome of(Job job, List<Pod> pods) {
        Optional<JobCondition> finished = finished(job);
        if (finished.isEmpty()) {
            return running();
        }
        List<ContainerStateTerminated> ended = pods.stream().map(JobOutcome::terminated).flatMap(Optional::stream)
                .sorted(BY_END).toList();
        JobCondition c = finished.get();
        if ("Complete".equals(c.getType())) {
            Optional<ContainerStateTerminated> succeeded = ended.stream()
                    .filter(t -> Integer.valueOf(0).equals(t.getExitCode())).reduce((a, b) -> b);
            return new JobOutcome(State.SUCCEEDED, ResultLine.parse(succeeded.map(ContainerStateTerminated::getMessage)
                    .orElse(null)), null, null, null);
        }
        Optional<ContainerStateTerminated> chosen = ended.stream()
                .filter(t -> ResultLine.parse(t.getMessage()).isReportedFailure()).findFirst()
                .or(() -> ended.stream().reduce((a, b) -> b));
        return new JobOutcome(State.FAILED, ResultLine.parse(chosen.map(ContainerStateTerminated::getMessage).orElse(null)),
                c.getReason(), c.getMessage(), chosen.map(JobOutcome::describe).orElse(null));
    }

    /** Whether the Job has ended (Complete or Failed); a Job being deleted has not until it is gone. */
    public static boolean isFinished(Job job) {
        return finished(job).isPresent();
    }

    private static JobOutcome running() {
        return new JobOutcome(State.RUNNING, null, null, null, null);
    }

    private static Optional<JobCondition> finished(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                .findFirst();
    }

    /** The kubelet's exit code, signal and reason (OOMKilled, Error, …): fixed vocabulary, never the container's output. */
    private static String describe(ContainerStateTerminated t) {
        StringBuilder s = new StringBuilder("exit code ").append(t.getExitCode());
        if (t.getSignal() != null && t.getSignal() != 0) {
            s.append(", signal ").append(t.getSignal());
        }
        if (t.getReason() != null && !t.getReason().isBlank()) {
            s.append(" (").append(t.getReason()).append(')');
        }
        return s.toString();
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
