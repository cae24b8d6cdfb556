package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Why a running agent Job's Pod has not started, read from the Pod as the kubelet and the scheduler report it, so that
 * the resource says so within a minute or two instead of at the Job's deadline (an hour by default):
 * <ul>
 *   <li>{@link Kind#IMAGE_PULL_FAILED}: the node cannot pull the agent image (ErrImagePull or ImagePullBackOff for
 *       {@link #IMAGE_PULL_GRACE}, so that one slow or flaky pull is not a failure; InvalidImageName and
 *       ErrImageNeverPull at once). A retry cannot help: the resource fails, and its Job is stopped.</li>
 *   <li>{@link Kind#UNSCHEDULABLE}: the scheduler found no node for the Pod (its message says why). That can change
 *       (a node scales up, another Pod ends): the resource waits, Pending, until it runs or the deadline passes.</li>
 * </ul>
 * Only the kubelet's and the scheduler's fixed vocabulary is read, never the container's output.
 *
 * @param message for the person reading {@code kubectl describe}: what is wrong and what to check
 */
public record PodTrouble(Kind kind, String message) {

    public enum Kind { IMAGE_PULL_FAILED, UNSCHEDULABLE }

    /** How long a Pod may fail to pull its image before the resource fails: the kubelet has retried a few times. */
    public static final Duration IMAGE_PULL_GRACE = Duration.ofSeconds(60);
    /** How often a Job whose Pod has not started is looked at again (a Pod's state changes no Job status). */
    public static final Duration RECHECK = Duration.ofSeconds(15);

    private static final Logger LOG = Logger.getLogger(PodTrouble.class);
    private static final Set<String> PULL_RETRIED = Set.of("ErrImagePull", "ImagePullBackOff");
    private static final Set<String> PULL_FINAL = Set.of("InvalidImageName", "ErrImageNeverPull");
    private static final int MAX_DETAIL = 400;

    /**
     * Whether the Job's Pod may not have started: the Job controller counts an active Pod and none of them is ready.
     * Only then are its Pods listed, and the resource looked at again every {@link #RECHECK}; a Job no Job controller
     * has looked at yet (no status) costs nothing until it does (its status change starts a reconcile).
     */
    public static boolean mayBeStuck(Job job) {
        var status = job.getStatus();
        return status != null && status.getActive() != null && status.getActive() > 0
                && (status.getReady() == null || status.getReady() == 0);
    }

    /**
     * The trouble of a running Job's Pods, listing them only when none is ready. Measured against the system clock,
     * not the operator's: the Pod's times are the kubelet's real time, and the operator's clock may run ahead in
     * tests (backtrack.clock.offset-file).
     */
    public static Optional<PodTrouble> of(Job job, KubernetesClient client) {
        if (!mayBeStuck(job) || JobOutcome.isFinished(job)) {
            return Optional.empty();
        }
        return of(job, client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("job-name", job.getMetadata().getName()).list().getItems(), Instant.now());
    }

    /**
     * The newest Pod that has not ended decides: an older one may be a failed attempt the Job has replaced.
     *
     * @param now real time, to compare with the Pod's (see {@link #of(Job, KubernetesClient)})
     */
    public static Optional<PodTrouble> of(Job job, List<Pod> pods, Instant now) {
        Optional<Pod> newest = pods.stream()
                .filter(p -> p.getStatus() != null && "Pending".equals(p.getStatus().getPhase()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .max(Comparator.comparing(p -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), "")));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        Pod pod = newest.get();
        Long deadline = job.getSpec() == null ? null : job.getSpec().getActiveDeadlineSeconds();
        Optional<PodTrouble> pull = imagePull(pod, now);
        if (pull.isPresent()) {
            return pull;
        }
        return unschedulable(pod).map(scheduler -> new PodTrouble(Kind.UNSCHEDULABLE, "no node can take the agent Pod "
                + pod.getMetadata().getName() + " now: " + cut(scheduler) + "; it starts once one can (check"
                + " spec.job nodeSelector, tolerations, affinity, resources and priorityClassName, or the chart's"
                + " jobDefaults) or fails when the Job's deadline passes (activeDeadlineSeconds=" + deadline + ")"));
    }

    /** Stops the Jobs that have not ended (their Pods with them): what a failed resource leaves must not run on. */
    public static void stopUnfinished(KubernetesClient client, Collection<Job> jobs) {
        for (Job job : jobs) {
            if (JobOutcome.isFinished(job) || job.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            LOG.infof("stopping the Job of a failed resource namespace=%s job=%s", job.getMetadata().getNamespace(),
                    job.getMetadata().getName());
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        }
    }

    private static Optional<PodTrouble> imagePull(Pod pod, Instant now) {
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null) {
            return Optional.empty();
        }
        for (ContainerStatus s : statuses) {
            ContainerStateWaiting waiting = s.getState() == null ? null : s.getState().getWaiting();
            if (waiting == null || waiting.getReason() == null) {
                continue;
            }
            String reason = waiting.getReason();
            boolean failed = PULL_FINAL.contains(reason)
                    || PULL_RETRIED.contains(reason) && !since(pod).plus(IMAGE_PULL_GRACE).isAfter(now);
            if (failed) {
                return Optional.of(new PodTrouble(Kind.IMAGE_PULL_FAILED, "the agent image " + s.getImage()
                        + " cannot be pulled on node " + pod.getSpec().getNodeName() + " (" + reason
                        + (waiting.getMessage() == null ? "" : ": " + cut(waiting.getMessage())) + "); check the"
                        + " chart's agent.image (registry, repository, tag or digest), that the node reaches the"
                        + " registry, and the pull secret of the Job's ServiceAccount; the agent never started, so"
                        + " nothing was read or written"));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unschedulable(Pod pod) {
        List<PodCondition> conditions = pod.getStatus().getConditions();
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()))
                .map(c -> c.getMessage() == null ? "the scheduler gave no reason" : c.getMessage())
                .findFirst();
    }

    /** When the Pod got to its node (it pulls from then on); its creation before the kubelet has said. */
    private static Instant since(Pod pod) {
        String start = pod.getStatus().getStartTime() != null ? pod.getStatus().getStartTime()
                : pod.getMetadata().getCreationTimestamp();
        return start == null ? Instant.EPOCH : Instant.parse(start);
    }

    private static String cut(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL - 1) + "…";
    }
}
