package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stands in for the kubelet and the container runtime on a real control plane: registers this machine as a
 * {@link LocalNode Node}, watches the Pods the scheduler binds to it, and runs each Pod's container as a local
 * process ({@link PodRun}). Everything else is the real cluster's: the Job controller creates the Pods (backoffLimit,
 * activeDeadlineSeconds, podFailurePolicy, Job conditions), the scheduler places them, admission (Pod Security)
 * decides whether they may exist at all, the garbage collector removes them.
 *
 * <p>A container's image is mapped to a local command ({@link ImageMapping}): the agent image runs the agent jar.
 * A Pod whose image maps to nothing stays Pending with its container waiting in ErrImagePull/ImagePullBackOff, as
 * on a node that cannot pull it. Not modelled: volumes (the container gets fresh HOME, TMPDIR and working
 * directories instead), resource limits (no cgroups: OOMKilled is never reported), probes, restartPolicy other than
 * Never (a failed container is not restarted), more than one container or init containers (refused with
 * CreateContainerError), logs and exec through the API.
 */
public final class NodeRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);
    public static final String DEFAULT_NODE_NAME = "backtrack-node";

    private final KubernetesClient client;
    private final RunnerSettings settings;
    private final LocalNode node;
    private final ExecutorService workers;
    private final Map<String, PodRun> running = new ConcurrentHashMap<>(); // by Pod uid
    private final Set<String> ended = ConcurrentHashMap.newKeySet(); // Pod uids whose run has ended
    private final Set<String> removing = ConcurrentHashMap.newKeySet();
    private final SharedIndexInformer<Pod> informer;

    private NodeRunner(KubernetesClient client, RunnerSettings settings, String nodeName, Map<String, String> labels,
                       List<Taint> taints) {
        this.client = client;
        this.settings = settings;
        this.workers = Executors.newCachedThreadPool(threads("node-runner-"));
        this.node = LocalNode.register(client, nodeName, labels, taints);
        // An informer, not a bare watch: it re-lists and re-watches after a dropped connection.
        this.informer = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).inform(new Handler(), 0);
    }

    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    /** The Node's name. */
    public String nodeName() {
        return node.name();
    }

    /** The combined stdout and stderr of a Pod run on this node; empty if there is none. */
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

    /** How many Pods this node is running (or preparing to run). */
    public int activePods() {
        return running.size();
    }

    /**
     * Stops watching, stops every running container as a graceful node shutdown would (its Pod fails with a
     * DisruptionTarget condition) and stops renewing the Node's Lease.
     */
    @Override
    public void close() {
        informer.close();
        running.values().forEach(PodRun::nodeShutdown);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("node runner: Pods still stopping after 10 s");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        node.close();
    }

    private void consider(Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodRun run = running.get(uid);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            if (run != null) {
                run.delete(pod.getMetadata().getDeletionGracePeriodSeconds());
            } else if (!workers.isShutdown() && removing.add(uid)) {
                workers.execute(() -> remove(pod));
            }
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (run != null || ended.contains(uid) || "Succeeded".equals(phase) || "Failed".equals(phase)
                || workers.isShutdown()) {
            return;
        }
        PodRun fresh = new PodRun(client, settings, pod, () -> {
            ended.add(uid);
            running.remove(uid);
        });
        if (running.putIfAbsent(uid, fresh) == null) {
            LOG.info("running pod {}/{}", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            workers.execute(fresh);
        }
    }

    /** A deleted Pod with nothing (any more) running here: the kubelet removes its object at once. */
    private void remove(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot remove deleted pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    e.toString());
        }
    }

    private final class Handler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            consider(pod);
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            consider(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            PodRun run = running.get(pod.getMetadata().getUid());
            if (run != null) {
                run.delete(0L); // the object is gone: nothing waits for a graceful stop any more
            }
            removing.remove(pod.getMetadata().getUid());
        }
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Configures and starts a {@link NodeRunner}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final List<ImageMapping> images = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<Taint> taints = new ArrayList<>();
        private String nodeName = DEFAULT_NODE_NAME;
        private Path logDir;
        private Path workDir;
        private boolean runAsPodUser = true;

        private Builder(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Runs images whose repository ends with {@code repositorySuffix} with {@code commandPrefix}. */
        public Builder image(String repositorySuffix, List<String> commandPrefix) {
            return image(ImageMapping.repositoryEndsWith(repositorySuffix, commandPrefix));
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

        /** The Node's name (default {@value #DEFAULT_NODE_NAME}). */
        public Builder nodeName(String name) {
            this.nodeName = name;
            return this;
        }

        /** Extra labels of the Node (a nodeSelector that names others leaves Pods unscheduled). */
        public Builder nodeLabel(String key, String value) {
            labels.put(key, value);
            return this;
        }

        /** A NoSchedule taint on the Node: only Pods that tolerate it are scheduled there. */
        public Builder noScheduleTaint(String key, String value) {
            taints.add(new TaintBuilder().withKey(key).withValue(value).withEffect("NoSchedule").build());
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

        /** Whether containers run as the UID their security context names (default: yes, when this JVM is root). */
        public Builder runAsPodUser(boolean runAsPodUser) {
            this.runAsPodUser = runAsPodUser;
            return this;
        }

        public NodeRunner start() {
            try {
                Path logs = Files.createDirectories(logDir != null ? logDir : Files.createTempDirectory("backtrack-pod-logs-"));
                Path work = Files.createDirectories(workDir != null ? workDir : Files.createTempDirectory("backtrack-pods-"));
                // Containers may run as their Pod's non-root UID: they must reach their own directories below this.
                Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                return new NodeRunner(client, new RunnerSettings(images, env, logs, work, runAsPodUser), nodeName, labels,
                        taints);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
