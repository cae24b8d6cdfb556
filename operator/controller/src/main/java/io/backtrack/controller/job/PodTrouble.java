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
import java.util.stream.Stream;

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
    /** How often a Job whose Pod is retrying its image pull is looked at again, for the grace to run out. */
    public static final Duration RECHECK = Duration.ofSeconds(15);

    private static final Logger LOG = Logger.getLogger(PodTrouble.class);
    private static final Set<String> PULL_RETRIED = Set.of("ErrImagePull", "ImagePullBackOff");
    private static final Set<String> PULL_FINAL = Set.of("InvalidImageName", "ErrImageNeverPull");
    private static final int MAX_DETAIL = 400;

    /**
     * Whether the Job's Pod may not have started: the Job controller counts an active Pod and none of them is ready.
     * Only then are its Pods looked at; a Job no Job controller has looked at yet (no status) is looked at when it
     * has (its status change starts a reconcile), and a change of its Pods' status starts one too ({@link AgentPods}).
     */
    public static boolean mayBeStuck(Job job) {
        var status = job.getStatus();
        return status != null && status.getActive() != null && status.getActive() > 0
                && (status.getReady() == null || status.getReady() == 0);
    }

    /**
     * What a running Job's Pods say, read once from the cache of Pods that have not started ({@link AgentPods}).
     *
     * @param trouble why none has started, if one is in trouble
     * @param again   look again after {@link #RECHECK}: a Pod is retrying its image pull within
     *                {@link #IMAGE_PULL_GRACE}, and the grace can run out with no change of the Pod to start a reconcile
     */
    public record Look(Optional<PodTrouble> trouble, boolean again) {
        private static final Look NOTHING = new Look(Optional.empty(), false);
    }

    /**
     * The Pods of a Job that may be stuck, looked at. Measured against the system clock, not the operator's: the Pod's
     * times are the kubelet's real time, and the operator's clock may run ahead in tests (backtrack.clock.offset-file).
     */
    public static Look look(Job job, JobPods pods) {
        if (!mayBeStuck(job) || JobOutcome.isFinished(job)) {
            return Look.NOTHING;
        }
        List<Pod> notStarted = pods.of(job);
        return new Look(of(job, notStarted, Instant.now()),
                notStarted.stream().anyMatch(pod -> waitingReasons(pod).anyMatch(PULL_RETRIED::contains)));
    }

    /**
     * The newest Pod that has not ended decides: an older one may be a failed attempt the Job has replaced.
     *
     * @param now real time, to compare with the Pod's (see {@link #look(Job, JobPods)})
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
                // The cache keeps spec.nodeName alone, and a spec only where the Pod has one.
                String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
                return Optional.of(new PodTrouble(Kind.IMAGE_PULL_FAILED, "the agent image " + s.getImage()
                        + " cannot be pulled on node " + node + " (" + reason
                        + (waiting.getMessage() == null ? "" : ": " + cut(waiting.getMessage())) + "); check the"
                        + " chart's agent.image (registry, repository, tag or digest), that the node reaches the"
                        + " registry, and the pull secret of the Job's ServiceAccount; the agent never started, so"
                        + " nothing was read or written"));
            }
        }
        return Optional.empty();
    }

    /**
     * What of a Pod that has not started its trouble is read from: the scheduler's refusal and the containers' image
     * pull reasons. A Pod event that changes none of it (its creation, ContainerCreating, the kubelet's other writes)
     * starts no reconcile.
     */
    record Signs(Optional<String> unschedulable, List<String> waiting) {
        static Signs of(Pod pod) {
            return new Signs(pod.getStatus() == null ? Optional.empty() : PodTrouble.unschedulable(pod),
                    waitingReasons(pod).filter(r -> PULL_RETRIED.contains(r) || PULL_FINAL.contains(r)).toList());
        }

        boolean any() {
            return unschedulable.isPresent() || !waiting.isEmpty();
        }
    }

    private static Stream<String> waitingReasons(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        return statuses == null ? Stream.empty() : statuses.stream()
                .map(s -> s.getState() == null ? null : s.getState().getWaiting())
                .filter(Objects::nonNull)
                .map(ContainerStateWaiting::getReason)
                .filter(Objects::nonNull);
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
