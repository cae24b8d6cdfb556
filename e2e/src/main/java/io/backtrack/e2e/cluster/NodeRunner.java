package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Nothing faked but the kubelet": watches the {@code batch/v1} Jobs of a (mock) cluster in all
 * namespaces and runs each Job's single container as a local process, with the command, arguments
 * (as a list, never through a shell) and environment (Secrets and ConfigMaps resolved from the API) the
 * Pod spec declares. Pod and Job status are written back as the kubelet and the Job controller would:
 * phases, container states, termination messages, retries up to {@code backoffLimit},
 * {@code activeDeadlineSeconds}, {@code Complete}/{@code Failed} conditions.
 *
 * <p>Not modelled: more than one container, init containers, volumes other than the scratch space
 * ({@code HOME}, {@code TMPDIR} and the working directory are fresh per Pod), {@code completions} or
 * {@code parallelism} above 1, {@code podFailurePolicy}, restartPolicy {@code OnFailure} (every retry is
 * a new Pod), backoff delays (see {@link Builder#retryDelay}), resource limits.
 */
public final class LocalJobRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobRunner.class);

    private final KubernetesClient client;
    private final RunnerSettings settings;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timers;
    private final Map<String, JobRun> running = new ConcurrentHashMap<>(); // by Job uid
    private final Set<String> done = ConcurrentHashMap.newKeySet(); // Job uids this runner finished
    private final SharedIndexInformer<Job> informer;

    private LocalJobRunner(KubernetesClient client, RunnerSettings settings, int maxConcurrentJobs) {
        this.client = client;
        this.settings = settings;
        this.workers = new ThreadPoolExecutor(maxConcurrentJobs, maxConcurrentJobs, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("local-job-runner-"));
        this.workers.allowCoreThreadTimeOut(true);
        this.timers = Executors.newSingleThreadScheduledExecutor(threads("local-job-runner-ttl-"));
        // An informer, not a bare watch: it re-lists and re-watches after a dropped connection.
        this.informer = client.batch().v1().jobs().inAnyNamespace().inform(new Handler(), 0);
    }

    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    /** The combined stdout and stderr of a Pod run by this runner; empty if there is none. */
    public String logs(String namespace, String pod) {
        Path file = logFile(namespace, pod);
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a Pod's log is kept: {@code <logDir>/<namespace>_<pod>.log}. */
    public Path logFile(String namespace, String pod) {
        return settings.logFile(namespace, pod);
    }

    public Path logDir() {
        return settings.logDir();
    }

    /** How many Jobs this runner is running or about to run. */
    public int activeJobs() {
        return running.size();
    }

    /** Stops watching and kills every running process; Jobs and Pods stay as they are. */
    @Override
    public void close() {
        informer.close();
        running.values().forEach(JobRun::shutdown);
        workers.shutdownNow();
        timers.shutdownNow();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("local job runner workers did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void consider(Job job) {
        String uid = job.getMetadata().getUid();
        if (uid == null || done.contains(uid) || running.containsKey(uid) || JobRun.isFinished(job)
                || Boolean.TRUE.equals(job.getSpec().getSuspend()) || job.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        JobRun run = new JobRun(client, settings, job, finished -> finished(uid, finished));
        if (running.putIfAbsent(uid, run) == null) {
            LOG.info("running Job {}/{}", job.getMetadata().getNamespace(), job.getMetadata().getName());
            workers.execute(run);
        }
    }

    private void finished(String uid, Job job) {
        done.add(uid);
        running.remove(uid);
        Integer ttl = job == null ? null : job.getSpec().getTtlSecondsAfterFinished();
        if (ttl != null && !timers.isShutdown()) {
            // The TTL-after-finished controller's job: delete the finished Job (and so its Pods).
            timers.schedule(() -> deleteFinished(job), ttl, TimeUnit.SECONDS);
        }
    }

    private void deleteFinished(Job job) {
        try {
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName()).withPropagationPolicy(
                            io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
            client.pods().inNamespace(job.getMetadata().getNamespace())
                    .withLabel("batch.kubernetes.io/controller-uid", job.getMetadata().getUid()).delete();
        } catch (RuntimeException e) {
            LOG.warn("cannot delete finished Job {}: {}", job.getMetadata().getName(), e.toString());
        }
    }

    private final class Handler implements ResourceEventHandler<Job> {
        @Override
        public void onAdd(Job job) {
            consider(job);
        }

        @Override
        public void onUpdate(Job old, Job job) {
            consider(job);
        }

        @Override
        public void onDelete(Job job, boolean finalStateUnknown) {
            JobRun run = running.get(job.getMetadata().getUid());
            if (run != null) {
                LOG.info("Job {}/{} deleted: stopping it", job.getMetadata().getNamespace(), job.getMetadata().getName());
                run.jobDeleted();
            }
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Configures and starts a {@link LocalJobRunner}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final List<ImageMapping> images = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path logDir;
        private Path workDir;
        private Duration retryDelay = Duration.ZERO;
        private int maxConcurrentJobs = 8;

        private Builder(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Runs images whose repository ends with {@code repositorySuffix} with {@code commandPrefix}. */
        public Builder image(String repositorySuffix, List<String> commandPrefix) {
            return image(ImageMapping.repositoryEndsWith(repositorySuffix, commandPrefix));
        }

        public Builder image(Predicate<String> repositoryMatcher, List<String> commandPrefix) {
            return image(new ImageMapping(repositoryMatcher, commandPrefix, "custom matcher"));
        }

        /** Mappings are tried in the order added; the first match wins. */
        public Builder image(ImageMapping mapping) {
            images.add(mapping);
            return this;
        }

        /** Added to every process's environment (and wins over the container's own variables). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** Where {@code <namespace>_<pod>.log} files go; default: a new temporary directory. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** Where each Pod's home, tmp and working directories go; default: a new temporary directory. */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Pause between a failed Pod and its retry (Kubernetes starts at 10 s); default none. */
        public Builder retryDelay(Duration delay) {
            this.retryDelay = delay;
            return this;
        }

        /** Jobs run at the same time; more wait their turn. Default 8. */
        public Builder maxConcurrentJobs(int max) {
            this.maxConcurrentJobs = max;
            return this;
        }

        public LocalJobRunner start() {
            try {
                Path logs = Files.createDirectories(logDir != null ? logDir
                        : Files.createTempDirectory("backtrack-job-logs-"));
                Path work = Files.createDirectories(workDir != null ? workDir
                        : Files.createTempDirectory("backtrack-pods-"));
                return new LocalJobRunner(client, new RunnerSettings(images, env, logs, work, retryDelay),
                        maxConcurrentJobs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
