package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Job controller's part for one Job: one Pod at a time until one succeeds, the backoff limit is
 * exceeded or the active deadline passes, with the Job's status kept like Kubernetes 1.31+ keeps it.
 */
final class JobRun implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
    private static final int DEFAULT_BACKOFF_LIMIT = 6;

    private final KubernetesClient client;
    private final RunnerSettings settings;
    private final StatusWriter status;
    private final String namespace;
    private final String name;
    private final String uid;
    private final Control control = new Control();
    private final Consumer<Job> onDone;

    JobRun(KubernetesClient client, RunnerSettings settings, Job job, Consumer<Job> onDone) {
        this.client = client;
        this.settings = settings;
        this.status = new StatusWriter(client);
        this.namespace = job.getMetadata().getNamespace();
        this.name = job.getMetadata().getName();
        this.uid = job.getMetadata().getUid();
        this.onDone = onDone;
    }

    /** The Job was deleted: kill its process and delete its Pods. */
    void jobDeleted() {
        control.cancel(true);
    }

    /** The runner is closing: kill the process, leave the API objects as they are. */
    void shutdown() {
        control.cancel(false);
    }

    @Override
    public void run() {
        Job finished = null;
        try {
            finished = runJob();
        } catch (RuntimeException e) {
            if (!control.cancelled()) {
                LOG.error("running Job {}/{} failed", namespace, name, e);
            }
        } finally {
            control.killProcess();
            if (control.jobDeleted) {
                deletePods();
            }
            onDone.accept(finished);
        }
    }

    /** Returns the Job in its final state, or null when it was deleted or the runner stopped. */
    private Job runJob() {
        Job job = status.job(namespace, name, uid, j -> {
            JobStatus s = statusOf(j);
            s.setStartTime(Objects.requireNonNullElse(s.getStartTime(), StatusWriter.now()));
            s.setActive(1);
        });
        if (job == null) {
            return null;
        }
        Instant deadline = job.getSpec().getActiveDeadlineSeconds() == null ? null
                : Instant.parse(job.getStatus().getStartTime()).plusSeconds(job.getSpec().getActiveDeadlineSeconds());
        int backoffLimit = Objects.requireNonNullElse(job.getSpec().getBackoffLimit(), DEFAULT_BACKOFF_LIMIT);
        int failed = Objects.requireNonNullElse(job.getStatus().getFailed(), 0) + failLeftoverPods();
        while (!control.cancelled()) {
            if (deadline != null && !Instant.now().isBefore(deadline)) {
                return fail("DeadlineExceeded", "Job was active longer than specified deadline", failed);
            }
            markActive();
            PodRun pod = new PodRun(client, settings, control, job, deadline);
            PodRun.Outcome outcome = pod.run();
            switch (outcome) {
                case SUCCEEDED:
                    return succeed(failed);
                case DEADLINE_EXCEEDED:
                    return fail("DeadlineExceeded", "Job was active longer than specified deadline", failed + 1);
                case FAILED:
                    failed++;
                    if (failed > backoffLimit) {
                        return fail("BackoffLimitExceeded", "Job has reached the specified backoff limit", failed);
                    }
                    int failedSoFar = failed;
                    status.job(namespace, name, uid, j -> {
                        statusOf(j).setFailed(failedSoFar);
                        statusOf(j).setActive(0);
                    });
                    control.awaitCancel(settings.retryDelay());
                    break;
                case CANCELLED:
                default:
                    return null;
            }
        }
        return null;
    }

    /**
     * Pods of this Job still Pending or Running were started by a runner that is gone (this harness
     * restarted): like Pods of a lost node they failed. Returns how many.
     */
    private int failLeftoverPods() {
        int count = 0;
        for (var pod : client.pods().inNamespace(namespace).withLabel("batch.kubernetes.io/controller-uid", uid)
                .list().getItems()) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            status.pod(namespace, pod.getMetadata().getName(), pod.getMetadata().getUid(), p -> {
                if (p.getStatus() == null) {
                    p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
                }
                p.getStatus().setPhase("Failed");
                p.getStatus().setReason("NodeLost");
                p.getStatus().setMessage("the local job runner that ran this pod stopped");
            });
            count++;
        }
        return count;
    }

    private void markActive() {
        status.job(namespace, name, uid, j -> statusOf(j).setActive(1));
    }

    private Job succeed(int failed) {
        return status.job(namespace, name, uid, j -> {
            JobStatus s = statusOf(j);
            String now = StatusWriter.now();
            s.setActive(0);
            s.setReady(0);
            s.setTerminating(0);
            s.setFailed(failed == 0 ? null : failed);
            s.setSucceeded(1);
            s.setCompletionTime(now);
            String message = "Reached expected number of succeeded pods";
            addConditions(s, condition("SuccessCriteriaMet", "CompletionsReached", message, now),
                    condition("Complete", "CompletionsReached", message, now));
        });
    }

    private Job fail(String reason, String message, int failed) {
        LOG.info("Job {}/{} failed: {}", namespace, name, reason);
        return status.job(namespace, name, uid, j -> {
            JobStatus s = statusOf(j);
            String now = StatusWriter.now();
            s.setActive(0);
            s.setReady(0);
            s.setTerminating(0);
            s.setFailed(failed);
            addConditions(s, condition("FailureTarget", reason, message, now),
                    condition("Failed", reason, message, now));
        });
    }

    private void deletePods() {
        try {
            client.pods().inNamespace(namespace).withLabel("batch.kubernetes.io/controller-uid", uid)
                    .withGracePeriod(0).delete();
        } catch (RuntimeException e) {
            LOG.warn("cannot delete the Pods of deleted Job {}/{}: {}", namespace, name, e.toString());
        }
    }

    private static void addConditions(JobStatus s, JobCondition... conditions) {
        List<JobCondition> all = new ArrayList<>(Objects.requireNonNullElse(s.getConditions(), List.of()));
        for (JobCondition c : conditions) {
            all.removeIf(existing -> existing.getType().equals(c.getType()));
            all.add(c);
        }
        s.setConditions(all);
    }

    private static JobCondition condition(String type, String reason, String message, String now) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(now).withLastTransitionTime(now).build();
    }

    static JobStatus statusOf(Job job) {
        if (job.getStatus() == null) {
            job.setStatus(new JobStatus());
        }
        return job.getStatus();
    }

    static boolean isFinished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                        && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }

    /** Cancellation shared with the Pod attempt: a flag, a wake-up for waits, and the process to kill. */
    static final class Control {
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private volatile boolean jobDeleted;
        private Process process;

        synchronized void cancel(boolean deleted) {
            jobDeleted |= deleted;
            cancelled.countDown();
            killProcess();
        }

        boolean cancelled() {
            return cancelled.getCount() == 0;
        }

        /** Waits up to {@code timeout}; true if cancelled meanwhile. */
        boolean awaitCancel(Duration timeout) {
            try {
                return cancelled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        /** Registers the running process; false (and the process killed) if already cancelled. */
        synchronized boolean track(Process started) {
            process = started;
            if (cancelled()) {
                killProcess();
                return false;
            }
            return true;
        }

        synchronized void killProcess() {
            if (process != null && process.isAlive()) {
                Processes.killTree(process);
            }
        }
    }
}
