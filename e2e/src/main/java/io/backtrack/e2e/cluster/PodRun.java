package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's work for one Pod the scheduler bound to this node: its container run as a local process with what
 * the kubelet would give it, and the Pod's life reported through the {@code pods/status} subresource (phase,
 * conditions, container state, exit code, termination message). Honours the Pod's {@code activeDeadlineSeconds}
 * and its deletion (SIGTERM, the grace period, SIGKILL, then the Pod object removed with grace period 0).
 */
final class PodRun implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PodRun.class);
    private static final String DEFAULT_TERMINATION_PATH = "/dev/termination-log";
    private static final int MAX_MESSAGE_BYTES = 4096;
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final long DEFAULT_GRACE_SECONDS = 30;

    /** Why the container was stopped before it ended on its own. */
    private enum Stop { DELETED, DEADLINE, NODE_SHUTDOWN }

    private final KubernetesClient client;
    private final RunnerSettings settings;
    private final Pod pod;
    private final String namespace;
    private final String name;
    private final String uid;
    private final Container container;
    private final Instant deadline; // activeDeadlineSeconds from the Pod's start on this node; null: none
    private final Runnable onDone;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile Stop stop;
    private volatile Duration grace = Duration.ofSeconds(DEFAULT_GRACE_SECONDS);
    private String startedAt;

    PodRun(KubernetesClient client, RunnerSettings settings, Pod pod, Runnable onDone) {
        this.client = client;
        this.settings = settings;
        this.pod = pod;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.uid = pod.getMetadata().getUid();
        this.container = pod.getSpec().getContainers().get(0);
        this.onDone = onDone;
        Instant start = pod.getStatus() != null && pod.getStatus().getStartTime() != null
                ? Instant.parse(pod.getStatus().getStartTime()) : Instant.now();
        this.deadline = pod.getSpec().getActiveDeadlineSeconds() == null ? null
                : start.plusSeconds(pod.getSpec().getActiveDeadlineSeconds());
        Long podGrace = pod.getSpec().getTerminationGracePeriodSeconds();
        if (podGrace != null) {
            grace = Duration.ofSeconds(podGrace);
        }
    }

    /** The Pod was deleted (graceful deletion): stop the container within {@code gracePeriod}, then remove it. */
    void delete(Long gracePeriodSeconds) {
        if (gracePeriodSeconds != null) {
            grace = Duration.ofSeconds(gracePeriodSeconds);
        }
        requestStop(Stop.DELETED);
    }

    /** The node runner is stopping: like a graceful node shutdown, the Pod fails with a DisruptionTarget condition. */
    void nodeShutdown() {
        grace = Duration.ZERO;
        requestStop(Stop.NODE_SHUTDOWN);
    }

    private synchronized void requestStop(Stop why) {
        if (stop == null) {
            stop = why;
        }
        stopRequested.countDown();
    }

    @Override
    public void run() {
        try {
            runPod();
        } catch (RuntimeException e) {
            LOG.error("running pod {}/{} failed", namespace, name, e);
        } finally {
            onDone.run();
            // after onDone: a deletion arriving from now on finds no run and removes the Pod itself
            removeIfDeleted();
        }
    }

    private void runPod() {
        if (alreadyStartedElsewhere()) {
            return;
        }
        write(s -> {
            s.setPhase("Pending");
            s.setHostIP("127.0.0.1");
            s.setHostIPs(List.of(new io.fabric8.kubernetes.api.model.HostIPBuilder().withIp("127.0.0.1").build()));
            s.setPodIP("127.0.0.1");
            s.setPodIPs(List.of(new io.fabric8.kubernetes.api.model.PodIPBuilder().withIp("127.0.0.1").build()));
            s.setStartTime(Objects.requireNonNullElse(s.getStartTime(), LocalNode.now()));
            condition(s, "PodReadyToStartContainers", "True", null, null);
            condition(s, "Initialized", "True", null, null);
            notReady(s, "ContainersNotReady", "containers with unready status: [" + container.getName() + "]");
            s.setContainerStatuses(List.of(status(waiting("ContainerCreating", null), false)));
        });
        if (pod.getSpec().getContainers().size() != 1 || !list(pod.getSpec().getInitContainers()).isEmpty()) {
            waitingUntilStopped("CreateContainerError",
                    "the node runner runs Pods of exactly one container and no init containers");
            return;
        }
        Optional<ImageMapping> image = settings.mappingFor(container.getImage());
        if (image.isEmpty()) {
            String pullError = "failed to pull image \"%s\": no local command is mapped to this image on this node"
                    .formatted(container.getImage());
            write(s -> s.setContainerStatuses(List.of(status(waiting("ErrImagePull", pullError), false))));
            if (!awaitStop(Duration.ofSeconds(2))) {
                waitingUntilStopped("ImagePullBackOff",
                        "Back-off pulling image \"%s\": ErrImagePull: %s".formatted(container.getImage(), pullError));
            } else {
                endWithoutContainer();
            }
            return;
        }
        Map<String, String> declared = awaitConfiguration();
        if (declared == null) {
            endWithoutContainer();
            return;
        }
        execute(image.get(), declared);
    }

    /**
     * A Pod this node already reported started that no process of this runner belongs to (the harness restarted):
     * as after a node reboot, its container is gone and the Pod fails.
     */
    private boolean alreadyStartedElsewhere() {
        List<ContainerStatus> statuses = pod.getStatus() == null ? List.of() : list(pod.getStatus().getContainerStatuses());
        boolean started = statuses.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
        if (!started) {
            return false;
        }
        write(s -> {
            s.setPhase("Failed");
            notReady(s, "PodFailed", null);
            s.setContainerStatuses(List.of(status(new ContainerStateBuilder().withNewTerminated().withExitCode(137)
                    .withReason("ContainerStatusUnknown")
                    .withMessage("The container could not be located when the pod was terminated")
                    .withFinishedAt(LocalNode.now()).endTerminated().build(), false)));
        });
        return true;
    }

    /** Reports the container waiting for {@code reason} until the Pod is deleted, its deadline passes or the node stops. */
    private void waitingUntilStopped(String reason, String message) {
        write(s -> s.setContainerStatuses(List.of(status(waiting(reason, message), false))));
        while (!awaitStop(Duration.ofSeconds(1))) {
            if (pastDeadline()) {
                requestStop(Stop.DEADLINE);
            }
        }
        endWithoutContainer();
    }

    /** Retries like the kubelet until Secrets and ConfigMaps resolve; null when stopped first. */
    private Map<String, String> awaitConfiguration() {
        ContainerEnvironment environment = new ContainerEnvironment(client);
        String reported = null;
        while (true) {
            try {
                return environment.resolve(pod, container);
            } catch (ContainerConfigException e) {
                if (!e.getMessage().equals(reported)) {
                    reported = e.getMessage();
                    write(s -> s.setContainerStatuses(List.of(status(waiting("CreateContainerConfigError", e.getMessage()),
                            false))));
                }
            }
            if (pastDeadline()) {
                requestStop(Stop.DEADLINE);
            }
            if (awaitStop(RETRY)) {
                return null;
            }
        }
    }

    private void execute(ImageMapping image, Map<String, String> declared) {
        Path dir = podDirectory();
        Path terminationLog = dir.resolve("termination-log");
        Path logFile = settings.logFile(namespace, name);
        String terminationPath = Objects.requireNonNullElse(container.getTerminationMessagePath(), DEFAULT_TERMINATION_PATH);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("TMPDIR", dir.resolve("tmp").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOSTNAME", name);
        // The container's own settings point at in-image paths: the termination message file is the one we map.
        declared.forEach((k, v) -> env.put(k, v.equals(terminationPath) ? terminationLog.toString() : v));
        env.putAll(settings.extraEnv()); // the harness wins: it knows where things are on this machine

        List<String> command = container.getCommand() == null || container.getCommand().isEmpty()
                ? image.commandPrefix() : ContainerEnvironment.expand(container.getCommand(), declared);
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(userSwitch(dir));
        argv.addAll(command);
        for (String arg : ContainerEnvironment.expand(Objects.requireNonNullElse(container.getArgs(), List.of()), declared)) {
            argv.add(arg.equals(terminationPath) ? terminationLog.toString() : arg);
        }

        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.resolve("work").toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);

        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            String message = e.getMessage();
            write(s -> {
                s.setPhase("Failed");
                notReady(s, "PodFailed", null);
                s.setContainerStatuses(List.of(status(terminated(128, "StartError", message), false)));
            });
            return;
        }
        startedAt = LocalNode.now();
        LOG.info("pod {}/{} started: pid {} {}", namespace, name, process.pid(), argv);
        write(s -> {
            s.setPhase("Running");
            condition(s, "ContainersReady", "True", null, null);
            condition(s, "Ready", "True", null, null);
            s.setContainerStatuses(List.of(status(new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt)
                    .endRunning().build(), true)));
        });

        int exitCode = awaitExit(process);
        String message = TerminationMessages.read(terminationLog, MAX_MESSAGE_BYTES);
        if (message.isEmpty() && exitCode != 0
                && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
            message = TerminationMessages.tail(logFile, 80, 2048);
        }
        String finalMessage = message;
        Stop why = stop;
        LOG.info("pod {}/{} exited with {}{}", namespace, name, exitCode, why == null ? "" : " (" + why + ")");
        write(s -> {
            boolean succeeded = exitCode == 0 && why != Stop.DEADLINE && why != Stop.NODE_SHUTDOWN;
            s.setPhase(succeeded ? "Succeeded" : "Failed");
            notReady(s, succeeded ? "PodCompleted" : "PodFailed", null);
            s.setContainerStatuses(List.of(status(terminated(exitCode, exitCode == 0 ? "Completed" : "Error", finalMessage),
                    false)));
            stopped(s, why);
        });
    }

    /** Waits for the container to end, or stops it when the Pod is deleted, its deadline passes or the node stops. */
    private int awaitExit(Process process) {
        try {
            while (true) {
                if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    Processes.killGroup(process);
                    return process.exitValue();
                }
                if (pastDeadline()) {
                    requestStop(Stop.DEADLINE);
                }
                if (stopRequested.getCount() == 0) {
                    return Processes.terminate(process, grace);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Processes.killTree(process);
        }
    }

    /** The Pod ends without its container having run (still pulling or configuring). */
    private void endWithoutContainer() {
        Stop why = stop;
        write(s -> {
            s.setPhase("Failed");
            notReady(s, "PodFailed", null);
            stopped(s, why);
        });
    }

    /** What the kubelet writes when it stopped the Pod itself. */
    private static void stopped(PodStatus s, Stop why) {
        if (why == Stop.DEADLINE) {
            s.setReason("DeadlineExceeded");
            s.setMessage("Pod was active on the node longer than the specified deadline");
        } else if (why == Stop.NODE_SHUTDOWN) {
            s.setReason("Terminated");
            s.setMessage("Pod was terminated in response to imminent node shutdown.");
            condition(s, "DisruptionTarget", "True", "TerminationByKubelet",
                    "Pod was terminated in response to imminent node shutdown.");
        }
    }

    /** A deleted Pod's object goes once its container has stopped: the kubelet deletes it with grace period 0. */
    private void removeIfDeleted() {
        if (stop != Stop.DELETED) {
            return;
        }
        try {
            client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot remove deleted pod {}/{}: {}", namespace, name, e.toString());
        }
    }

    private boolean awaitStop(Duration timeout) {
        try {
            return stopRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private boolean pastDeadline() {
        return deadline != null && !Instant.now().isBefore(deadline);
    }

    /**
     * Runs the process as the UID and GID the Pod's security context asks for, as a container runtime would; only
     * possible when this JVM runs as root (setpriv). A Pod that names none runs as this JVM's user.
     */
    private List<String> userSwitch(Path dir) {
        Long user = securityValue(SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
        Long group = securityValue(SecurityContext::getRunAsGroup, PodSecurityContext::getRunAsGroup);
        if (!settings.runAsPodUser() || user == null || !"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        long gid = group == null ? user : group;
        try (var files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Files.setAttribute(p, "unix:uid", user.intValue());
                Files.setAttribute(p, "unix:gid", (int) gid);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + dir + " to uid " + user, e);
        }
        return List.of("setpriv", "--reuid=" + user, "--regid=" + gid, "--clear-groups", "--");
    }

    private Long securityValue(java.util.function.Function<SecurityContext, Long> fromContainer,
                               java.util.function.Function<PodSecurityContext, Long> fromPod) {
        if (container.getSecurityContext() != null && fromContainer.apply(container.getSecurityContext()) != null) {
            return fromContainer.apply(container.getSecurityContext());
        }
        return pod.getSpec().getSecurityContext() == null ? null : fromPod.apply(pod.getSpec().getSecurityContext());
    }

    /** Read-modify-write of the Pod's status subresource; on a conflict (someone else wrote it) read and apply again. */
    private void write(Consumer<PodStatus> change) {
        for (int attempt = 1; attempt <= 50; attempt++) {
            Pod current = client.pods().inNamespace(namespace).withName(name).get();
            if (current == null || !uid.equals(current.getMetadata().getUid())) {
                return;
            }
            PodStatus s = current.getStatus() == null ? new PodStatus() : current.getStatus();
            change.accept(s);
            current.setStatus(s);
            try {
                client.pods().resource(current).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        LOG.warn("gave up writing the status of pod {}/{} after 50 conflicts", namespace, name);
    }

    private static void notReady(PodStatus s, String reason, String message) {
        condition(s, "ContainersReady", "False", reason, message);
        condition(s, "Ready", "False", reason, message);
    }

    /** Sets a condition by type, keeping its transition time while its status stays the same. */
    private static void condition(PodStatus s, String type, String status, String reason, String message) {
        List<PodCondition> conditions = new ArrayList<>(list(s.getConditions()));
        String transition = conditions.stream().filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime).filter(Objects::nonNull).findFirst().orElse(LocalNode.now());
        conditions.removeIf(c -> type.equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(transition).build());
        s.setConditions(conditions);
    }

    private ContainerState terminated(int exitCode, String reason, String message) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason)
                .withMessage(message == null || message.isEmpty() ? null : message)
                .withStartedAt(startedAt).withFinishedAt(LocalNode.now()).endTerminated().build();
    }

    private static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    private ContainerStatus status(ContainerState state, boolean running) {
        return new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                .withImageID("").withRestartCount(0).withReady(running).withStarted(running).withState(state).build();
    }

    private Path podDirectory() {
        Path dir = settings.workDir().resolve(namespace + "_" + name);
        try {
            for (String sub : List.of("home", "tmp", "work")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Files.deleteIfExists(dir.resolve("termination-log"));
            Files.createFile(dir.resolve("termination-log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        return dir;
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
