package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a Job: the Pod object, and its single container run as a local process with what the
 * kubelet would give it. Reports the Pod's life through its status like the kubelet does.
 */
final class PodRun {

    enum Outcome { SUCCEEDED, FAILED, DEADLINE_EXCEEDED, CANCELLED }

    private static final Logger LOG = LoggerFactory.getLogger(PodRun.class);
    private static final String DEFAULT_TERMINATION_PATH = "/dev/termination-log";
    private static final int MAX_MESSAGE_BYTES = 4096;
    private static final Duration CONFIG_RETRY = Duration.ofMillis(500);

    private final KubernetesClient client;
    private final RunnerSettings settings;
    private final StatusWriter status;
    private final JobRun.Control control;
    private final Job job;
    private final Instant deadline; // null: none
    private final String namespace;
    private final String name;
    private String uid;
    private String startedAt;

    PodRun(KubernetesClient client, RunnerSettings settings, JobRun.Control control, Job job, Instant deadline) {
        this.client = client;
        this.settings = settings;
        this.status = new StatusWriter(client);
        this.control = control;
        this.job = job;
        this.deadline = deadline;
        this.namespace = job.getMetadata().getNamespace();
        this.name = job.getMetadata().getName() + "-" + randomSuffix();
    }

    String name() {
        return name;
    }

    Outcome run() {
        Pod pod = client.resource(newPod()).create();
        uid = pod.getMetadata().getUid();
        writeStatus(s -> pending(s, waiting("ContainerCreating", null)));
        Container container = pod.getSpec().getContainers().get(0);

        Optional<ImageMapping> image = settings.mappingFor(container.getImage());
        if (image.isEmpty()) {
            // The kubelet would retry the pull forever; failing the attempt lets backoffLimit end the Job.
            writeStatus(s -> finished(s, "Failed", waiting("ErrImagePull",
                    "local job runner: no command mapped for image \"%s\"".formatted(container.getImage()))));
            return Outcome.FAILED;
        }
        Map<String, String> declared = awaitConfiguration(pod, container);
        if (declared == null) {
            return control.cancelled() ? Outcome.CANCELLED : deadlineExceeded(null, "");
        }
        return execute(pod, container, image.get(), declared);
    }

    /** Retries like the kubelet until Secrets and ConfigMaps resolve; null on deadline or cancellation. */
    private Map<String, String> awaitConfiguration(Pod pod, Container container) {
        ContainerEnvironment environment = new ContainerEnvironment(client);
        String reported = null;
        while (true) {
            try {
                return environment.resolve(pod, container);
            } catch (ContainerConfigException e) {
                if (!e.getMessage().equals(reported)) {
                    reported = e.getMessage();
                    writeStatus(s -> pending(s, waiting("CreateContainerConfigError", e.getMessage())));
                }
            }
            if (control.awaitCancel(CONFIG_RETRY) || pastDeadline()) {
                return null;
            }
        }
    }

    private Outcome execute(Pod pod, Container container, ImageMapping image, Map<String, String> declared) {
        Path dir = podDirectory();
        Path terminationLog = dir.resolve("termination-log");
        Path logFile = settings.logFile(namespace, name);
        String terminationPath = Objects.requireNonNullElse(container.getTerminationMessagePath(),
                DEFAULT_TERMINATION_PATH);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("TMPDIR", dir.resolve("tmp").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOSTNAME", name);
        // The container's own settings point at in-image paths: the termination log is the one we map.
        declared.forEach((k, v) -> env.put(k, v.equals(terminationPath) ? terminationLog.toString() : v));
        env.putAll(settings.extraEnv()); // the harness wins: it knows where things are on this machine

        List<String> command = container.getCommand() == null || container.getCommand().isEmpty()
                ? image.commandPrefix() : ContainerEnvironment.expand(container.getCommand(), declared);
        List<String> argv = new ArrayList<>(command);
        for (String arg : ContainerEnvironment.expand(Objects.requireNonNullElse(container.getArgs(), List.of()),
                declared)) {
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
            writeStatus(s -> finished(s, "Failed", terminated(128, "StartError", message)));
            return Outcome.FAILED;
        }
        startedAt = StatusWriter.now();
        if (!control.track(process)) {
            return Outcome.CANCELLED;
        }
        LOG.info("pod {}/{} started: pid {} {}", namespace, name, process.pid(), argv);
        writeStatus(this::running);

        boolean exited = awaitExit(process);
        if (control.cancelled()) {
            return Outcome.CANCELLED;
        }
        if (!exited) {
            int exitCode = Processes.killTree(process);
            String message = TerminationMessages.read(terminationLog, MAX_MESSAGE_BYTES);
            return deadlineExceeded(exitCode, message);
        }
        int exitCode = process.exitValue();
        String message = TerminationMessages.read(terminationLog, MAX_MESSAGE_BYTES);
        if (message.isEmpty() && exitCode != 0
                && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
            message = TerminationMessages.tail(logFile, 80, 2048);
        }
        String finalMessage = message;
        LOG.info("pod {}/{} exited with {}", namespace, name, exitCode);
        writeStatus(s -> finished(s, exitCode == 0 ? "Succeeded" : "Failed",
                terminated(exitCode, exitCode == 0 ? "Completed" : "Error", finalMessage)));
        return exitCode == 0 ? Outcome.SUCCEEDED : Outcome.FAILED;
    }

    /** Waits for the process; false when the Job's deadline came first. */
    private boolean awaitExit(Process process) {
        try {
            while (true) {
                long wait = deadline == null ? TimeUnit.HOURS.toMillis(1)
                        : Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                if (process.waitFor(wait, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (pastDeadline()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.killTree(process);
            return true;
        }
    }

    private Outcome deadlineExceeded(Integer exitCode, String message) {
        writeStatus(s -> {
            ContainerState state = exitCode == null ? waiting("ContainerCreating", null)
                    : terminated(exitCode, "Error", message);
            finished(s, "Failed", state);
            s.setReason("DeadlineExceeded");
            s.setMessage("Pod was active on the node longer than the specified deadline");
        });
        return Outcome.DEADLINE_EXCEEDED;
    }

    private boolean pastDeadline() {
        return deadline != null && !Instant.now().isBefore(deadline);
    }

    private Pod newPod() {
        var template = job.getSpec().getTemplate();
        String jobUid = job.getMetadata().getUid();
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put("job-name", job.getMetadata().getName());
        labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
        labels.put("controller-uid", jobUid);
        labels.put("batch.kubernetes.io/controller-uid", jobUid);
        Map<String, String> annotations = template.getMetadata() == null ? null
                : template.getMetadata().getAnnotations();
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                        .withName(job.getMetadata().getName()).withUid(jobUid).withController(true)
                        .withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(new PodSpecBuilder(template.getSpec()).withNodeName("local-job-runner").build())
                .build();
    }

    private void writeStatus(java.util.function.Consumer<PodStatus> change) {
        if (control.cancelled()) {
            return;
        }
        status.pod(namespace, name, uid, pod -> {
            PodStatus s = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
            change.accept(s);
            pod.setStatus(s);
        });
    }

    private void pending(PodStatus s, ContainerState state) {
        s.setPhase("Pending");
        s.setHostIP("127.0.0.1");
        s.setStartTime(Objects.requireNonNullElse(s.getStartTime(), StatusWriter.now()));
        s.setConditions(conditions(false));
        s.setContainerStatuses(List.of(containerStatus(state, false)));
    }

    private void running(PodStatus s) {
        s.setPhase("Running");
        s.setPodIP("127.0.0.1");
        s.setConditions(conditions(true));
        s.setContainerStatuses(List.of(containerStatus(
                new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build(), true)));
    }

    private void finished(PodStatus s, String phase, ContainerState state) {
        s.setPhase(phase);
        s.setHostIP("127.0.0.1");
        s.setStartTime(Objects.requireNonNullElse(s.getStartTime(), StatusWriter.now()));
        s.setConditions(conditions(false));
        s.setContainerStatuses(List.of(containerStatus(state, false)));
    }

    private ContainerState terminated(int exitCode, String reason, String message) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason)
                .withMessage(message == null || message.isEmpty() ? null : message)
                .withStartedAt(startedAt).withFinishedAt(StatusWriter.now()).endTerminated().build();
    }

    private static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting()
                .build();
    }

    private io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(ContainerState state, boolean ready) {
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        return new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
                .withImageID("").withRestartCount(0).withReady(ready).withStarted(ready).withState(state).build();
    }

    private static List<PodCondition> conditions(boolean ready) {
        String now = StatusWriter.now();
        String r = ready ? "True" : "False";
        return List.of(condition("PodScheduled", "True", now), condition("Initialized", "True", now),
                condition("ContainersReady", r, now), condition("Ready", r, now));
    }

    private static PodCondition condition(String type, String status, String now) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(now).build();
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

    private static String randomSuffix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz";
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
