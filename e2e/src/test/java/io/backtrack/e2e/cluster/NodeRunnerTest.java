package io.backtrack.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node runner on the real control plane: the real Job controller creates the Pods, the real scheduler binds
 * them, Pod Security admission ({@code restricted}) decides whether they may exist, the garbage collector removes
 * them; the runner only does the kubelet's part. Its own Node is tainted, so only these tests' Pods (which tolerate
 * the taint and select the Node) land there.
 */
class NodeRunnerTest {

    static final String NS = "node-runner";
    static final String NODE = "runner-test-node";
    static final String TAINT = "backtrack.test/runner-test";
    static final EnvVar TERMINATION_LOG = new EnvVar("BACKTRACK_TERMINATION_LOG", "/dev/termination-log", null);
    static final long UID = 65532;

    static BacktrackEnvironment env;
    static KubernetesClient client;
    static NodeRunner runner;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        env = BacktrackEnvironment.shared();
        client = env.client();
        env.namespace(NS);
        // Processes running as the Pods' UID write their pid files here.
        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        runner = NodeRunner.builder(env.cluster().client())
                .nodeName(NODE).nodeLabel("backtrack.test/node", NODE).noScheduleTaint(TAINT, "true")
                .image("test/echo", List.of("/bin/sh", "-c"))
                // "$@" shows exactly which arguments arrived: a list, not a shell string
                .image(ImageMapping.repositoryEndsWith("test/args",
                        List.of("/bin/sh", "-c", "printf '%s|' \"$@\" > \"$BACKTRACK_TERMINATION_LOG\"", "sh")))
                .env("EXTRA_FROM_HARNESS", "harness")
                .logDir(temp.resolve("logs"))
                .workDir(temp.resolve("pods"))
                .start();
    }

    @AfterAll
    static void stop() {
        runner.close();
        client.nodes().withName(NODE).delete();
    }

    @Test
    void theNodeIsReadyWithCapacityAndARenewedLease() throws Exception {
        Node node = client.nodes().withName(NODE).get();
        assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo(client.getKubernetesVersion().getGitVersion());
        Lease lease = client.leases().inNamespace("kube-node-lease").withName(NODE).get();
        ZonedDateTime first = lease.getSpec().getRenewTime();
        await(() -> client.leases().inNamespace("kube-node-lease").withName(NODE).get().getSpec().getRenewTime(),
                t -> t.isAfter(first), Duration.ofSeconds(LocalNode.RENEW_SECONDS + 5));
    }

    @Test
    void successfulJobCompletesWithTerminationMessage() {
        Job job = client.resource(job("ok", "test/echo:1.0", List.of(TERMINATION_LOG),
                "echo hi > \"$BACKTRACK_TERMINATION_LOG\"; echo \"to the log $EXTRA_FROM_HARNESS $HOME\"; exit 0"))
                .create();

        Job done = awaitFinished("ok");
        assertThat(condition(done, "Complete")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
        assertThat(condition(done, "SuccessCriteriaMet")).isPresent();
        assertThat(done.getStatus().getSucceeded()).isEqualTo(1);

        Pod pod = pods("ok").get(0);
        assertThat(pod.getMetadata().getName()).matches("ok-[a-z0-9]{5}");
        assertThat(pod.getMetadata().getLabels()).containsEntry("job-name", "ok")
                .containsEntry("batch.kubernetes.io/controller-uid", job.getMetadata().getUid()).containsEntry("app", "test");
        assertThat(pod.getSpec().getNodeName()).as("bound by the scheduler").isEqualTo(NODE);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(conditions(pod)).containsEntry("PodScheduled", "True").containsEntry("Initialized", "True")
                .containsEntry("ContainersReady", "False").containsEntry("Ready", "False");
        ContainerStateTerminated terminated = terminated(pod);
        assertThat(terminated.getExitCode()).isZero();
        assertThat(terminated.getReason()).isEqualTo("Completed");
        assertThat(terminated.getMessage()).isEqualTo("hi\n");
        assertThat(terminated.getStartedAt()).isNotNull();
        assertThat(terminated.getFinishedAt()).isNotNull();
        assertThat(runner.logs(NS, pod.getMetadata().getName())).startsWith("to the log harness /");
    }

    @Test
    void theContainerRunsAsThePodsUser() {
        client.resource(job("whoami", "test/echo", List.of(TERMINATION_LOG), "id -u > \"$BACKTRACK_TERMINATION_LOG\""))
                .create();
        awaitFinished("whoami");
        String expected = "root".equals(System.getProperty("user.name")) ? Long.toString(UID)
                : new com.sun.security.auth.module.UnixSystem().getUid() + "";
        assertThat(terminated(pods("whoami").get(0)).getMessage()).isEqualTo(expected + "\n");
    }

    @Test
    void failingJobRetriesUntilBackoffLimit() {
        Job job = job("fail", "test/echo", List.of(), "echo nope; exit 1");
        job.getSpec().setBackoffLimit(1);
        client.resource(job).create();

        Job done = awaitFinished("fail", Duration.ofSeconds(60));
        assertThat(condition(done, "Failed")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded");
        });
        assertThat(done.getStatus().getFailed()).isEqualTo(2);
        List<Pod> pods = pods("fail");
        assertThat(pods).hasSize(2).allSatisfy(p -> {
            assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(terminated(p).getExitCode()).isEqualTo(1);
            assertThat(terminated(p).getReason()).isEqualTo("Error");
        });
    }

    @Test
    void aProcessKilledByASignalFailsAndIsNeverReportedSucceeded() {
        // ($$$$: a container's args are expanded as Kubernetes does, $$ is an escaped $)
        Job job = job("killed", "test/echo", List.of(TERMINATION_LOG),
                "echo partial > \"$BACKTRACK_TERMINATION_LOG\"; kill -9 $$$$");
        job.getSpec().setBackoffLimit(0);
        client.resource(job).create();
        Job done = awaitFinished("killed");
        assertThat(condition(done, "Failed")).isPresent();
        Pod pod = pods("killed").get(0);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(terminated(pod).getExitCode()).isEqualTo(137);
        assertThat(terminated(pod).getMessage()).isEqualTo("partial\n");
    }

    @Test
    void fallsBackToLogsOnError() {
        Job job = job("fallback", "test/echo", List.of(), "echo line1; echo boom >&2; exit 3");
        job.getSpec().setBackoffLimit(0);
        client.resource(job).create();

        awaitFinished("fallback");
        ContainerStateTerminated terminated = terminated(pods("fallback").get(0));
        assertThat(terminated.getExitCode()).isEqualTo(3);
        assertThat(terminated.getMessage()).isEqualTo("line1\nboom\n");
    }

    @Test
    void argumentsArriveAsAListWithVariablesExpanded() {
        Job job = job("args", "registry.local:5000/test/args@sha256:" + "a".repeat(64),
                List.of(TERMINATION_LOG, new EnvVar("WHO", "world", null)));
        job.getSpec().getTemplate().getSpec().getContainers().get(0)
                .setArgs(List.of("a b", "$(WHO)", "c;d $(UNDEFINED)", "$$(WHO)"));
        client.resource(job).create();

        awaitFinished("args");
        assertThat(terminated(pods("args").get(0)).getMessage()).isEqualTo("a b|world|c;d $(UNDEFINED)|$(WHO)|");
    }

    @Test
    void theJobsActiveDeadlineMakesTheJobControllerDeleteThePodAndTheNodeKillsItsProcessTree() throws Exception {
        Path pidFile = temp.resolve("deadline.pid");
        Job job = job("deadline", "test/echo", List.of(new EnvVar("PIDFILE", pidFile.toString(), null)),
                "sleep 300 & echo $! > \"$PIDFILE\"; wait");
        job.getSpec().setActiveDeadlineSeconds(3L);
        client.resource(job).create();

        Job done = awaitFinished("deadline", Duration.ofSeconds(60));
        assertThat(condition(done, "Failed")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("DeadlineExceeded"));
        await(() -> Files.exists(pidFile) && isAlive(pidFile), alive -> !alive, Duration.ofSeconds(40));
        await(() -> pods("deadline"), List::isEmpty, Duration.ofSeconds(40));
    }

    @Test
    void thePodsActiveDeadlineIsTheNodesToEnforce() {
        Job job = job("pod-deadline", "test/echo", List.of(), "sleep 300");
        job.getSpec().setBackoffLimit(0);
        job.getSpec().getTemplate().getSpec().setActiveDeadlineSeconds(2L);
        job.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(1L);
        client.resource(job).create();

        awaitFinished("pod-deadline", Duration.ofSeconds(60));
        Pod pod = pods("pod-deadline").get(0);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(pod.getStatus().getReason()).isEqualTo("DeadlineExceeded");
        assertThat(terminated(pod).getExitCode()).isNotZero();
    }

    @Test
    void secretsResolveOnceTheyExist() {
        EnvVar password = new EnvVarBuilder().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef()
                .withName("db-creds").withKey("password").endSecretKeyRef().endValueFrom().build();
        EnvVar user = new EnvVarBuilder().withName("USER_NAME").withNewValueFrom().withNewConfigMapKeyRef()
                .withName("db-config").withKey("user").endConfigMapKeyRef().endValueFrom().build();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("db-config").withNamespace(NS).endMetadata()
                .withData(Map.of("user", "alice")).build()).create();
        client.resource(job("secret", "test/echo", List.of(TERMINATION_LOG, password, user),
                "printf '%s:%s' \"$USER_NAME\" \"$PASSWORD\" > \"$BACKTRACK_TERMINATION_LOG\"")).create();

        awaitWaiting("secret", "CreateContainerConfigError", "secret \"db-creds\" not found");
        client.resource(new SecretBuilder().withNewMetadata().withName("db-creds").withNamespace(NS).endMetadata()
                .withData(Map.of("other", b64("x"))).build()).create();
        awaitWaiting("secret", "CreateContainerConfigError", "couldn't find key password in Secret node-runner/db-creds");
        assertThat(pods("secret")).singleElement().satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Pending"));

        client.secrets().inNamespace(NS).withName("db-creds")
                .edit(s -> new SecretBuilder(s).addToData("password", b64("s3cr3t w/ spaces")).build());
        Job done = awaitFinished("secret");
        assertThat(condition(done, "Complete")).isPresent();
        assertThat(terminated(pods("secret").get(0)).getMessage()).isEqualTo("alice:s3cr3t w/ spaces");
    }

    @Test
    void anImageTheNodeCannotRunStaysPendingInImagePullBackOff() {
        client.resource(job("noimage", "example.com/unknown:1", List.of(), "true")).create();
        awaitWaiting("noimage", "ImagePullBackOff", "example.com/unknown:1");
        Pod pod = pods("noimage").get(0);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("noimage").get().getStatus().getActive()).isEqualTo(1);
        client.batch().v1().jobs().inNamespace(NS).withName("noimage").delete();
        await(() -> pods("noimage"), List::isEmpty, Duration.ofSeconds(30));
    }

    @Test
    void aNodeSelectorNoNodeMatchesLeavesThePodUnscheduled() {
        Job job = job("nowhere", "test/echo", List.of(), "true");
        job.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("backtrack.test/node", "no-such-node"));
        client.resource(job).create();
        Pod pod = await(() -> pods("nowhere"), p -> p.size() == 1 && "False".equals(conditions(p.get(0)).get("PodScheduled")),
                Duration.ofSeconds(30)).get(0);
        assertThat(pod.getSpec().getNodeName()).isNull();
        assertThat(pod.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("Unschedulable"));
        client.batch().v1().jobs().inNamespace(NS).withName("nowhere").delete();
    }

    @Test
    void aPodThatPodSecurityRefusesNeverRuns() throws Exception {
        Path marker = temp.resolve("root-ran");
        Job job = job("as-root", "test/echo", List.of(new EnvVar("MARKER", marker.toString(), null)), "touch \"$MARKER\"");
        job.getSpec().getTemplate().getSpec().getSecurityContext().setRunAsNonRoot(false);
        job.getSpec().getTemplate().getSpec().getSecurityContext().setRunAsUser(0L);
        client.resource(job).create();
        List<Event> events = await(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                        .filter(e -> "as-root".equals(e.getInvolvedObject().getName()) && "FailedCreate".equals(e.getReason()))
                        .toList(), e -> !e.isEmpty(), Duration.ofSeconds(30));
        assertThat(events.get(0).getMessage()).contains("violates PodSecurity \"restricted");
        assertThat(pods("as-root")).isEmpty();
        assertThat(marker).doesNotExist();
        // and a Pod created directly is refused at the API
        Pod direct = new PodBuilder().withNewMetadata().withName("direct").withNamespace(NS).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec()).build();
        assertThatThrownBy(() -> client.resource(direct).create()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("violates PodSecurity");
        client.batch().v1().jobs().inNamespace(NS).withName("as-root").delete();
    }

    @Test
    void deletingTheJobStopsItsProcessGracefullyAndRemovesItsPods() throws Exception {
        Path pidFile = temp.resolve("delete.pid");
        Path stopped = temp.resolve("delete.stopped");
        client.resource(job("deleted", "test/echo", List.of(new EnvVar("PIDFILE", pidFile.toString(), null),
                        new EnvVar("STOPPED", stopped.toString(), null)),
                "trap 'touch \"$STOPPED\"; exit 0' TERM; echo $$$$ > \"$PIDFILE\"; while true; do sleep 0.1; done")).create();
        await(() -> Files.exists(pidFile) && isAlive(pidFile), b -> b, Duration.ofSeconds(30));

        client.batch().v1().jobs().inNamespace(NS).withName("deleted").delete();
        await(() -> isAlive(pidFile), alive -> !alive, Duration.ofSeconds(30));
        assertThat(stopped).as("SIGTERM reached the container's main process").exists();
        await(() -> pods("deleted"), List::isEmpty, Duration.ofSeconds(30));
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
        Path pidFile = temp.resolve("stubborn.pid");
        Job job = job("stubborn", "test/echo", List.of(new EnvVar("PIDFILE", pidFile.toString(), null)),
                "trap '' TERM; echo $$$$ > \"$PIDFILE\"; while true; do sleep 0.1; done");
        job.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(2L);
        client.resource(job).create();
        await(() -> Files.exists(pidFile) && isAlive(pidFile), b -> b, Duration.ofSeconds(30));
        String pod = pods("stubborn").get(0).getMetadata().getName();

        long t0 = System.nanoTime();
        client.pods().inNamespace(NS).withName(pod).delete();
        await(() -> isAlive(pidFile), alive -> !alive, Duration.ofSeconds(20));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(15));
        await(() -> client.pods().inNamespace(NS).withName(pod).get(), p -> p == null, Duration.ofSeconds(20));
        client.batch().v1().jobs().inNamespace(NS).withName("stubborn").delete();
    }

    @Test
    void theGarbageCollectorDeletingTheJobOfADeletedOwnerStopsIt() throws Exception {
        var owner = client.resource(new ConfigMapBuilder().withNewMetadata().withName("owner").withNamespace(NS)
                .endMetadata().build()).create();
        Path pidFile = temp.resolve("owned.pid");
        Job job = job("owned", "test/echo", List.of(new EnvVar("PIDFILE", pidFile.toString(), null)),
                "sleep 300 & echo $! > \"$PIDFILE\"; wait");
        job.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1")
                .withKind("ConfigMap").withName("owner").withUid(owner.getMetadata().getUid()).withController(true)
                .build()));
        client.resource(job).create();
        await(() -> Files.exists(pidFile) && isAlive(pidFile), b -> b, Duration.ofSeconds(30));

        client.resource(owner).delete();
        await(() -> client.batch().v1().jobs().inNamespace(NS).withName("owned").get(), j -> j == null,
                Duration.ofSeconds(30));
        await(() -> isAlive(pidFile), alive -> !alive, Duration.ofSeconds(40));
        await(() -> pods("owned"), List::isEmpty, Duration.ofSeconds(40));
    }

    // --- helpers

    /** A Job whose Pod passes the restricted Pod Security Standard and runs on this test's node only. */
    static Job job(String name, String image, List<EnvVar> env, String... args) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewMetadata().withLabels(Map.of("app", "test")).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withAutomountServiceAccountToken(false)
                .withNodeSelector(Map.of("backtrack.test/node", NODE))
                .addNewToleration().withKey(TAINT).withOperator("Exists").withEffect("NoSchedule").endToleration()
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(UID).withRunAsGroup(UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("main").withImage(image).withEnv(new ArrayList<>(env))
                .withArgs(args).withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    static Job awaitFinished(String name) {
        return awaitFinished(name, Duration.ofSeconds(30));
    }

    static Job awaitFinished(String name, Duration timeout) {
        return await(() -> client.batch().v1().jobs().inNamespace(NS).withName(name).get(),
                j -> j != null && j.getStatus() != null && j.getStatus().getConditions() != null
                        && j.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                                && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))), timeout);
    }

    static void awaitWaiting(String job, String reason, String message) {
        await(() -> pods(job), pods -> pods.size() == 1 && pods.get(0).getStatus() != null
                && pods.get(0).getStatus().getContainerStatuses() != null
                && !pods.get(0).getStatus().getContainerStatuses().isEmpty()
                && Optional.ofNullable(pods.get(0).getStatus().getContainerStatuses().get(0).getState().getWaiting())
                        .filter(w -> reason.equals(w.getReason()) && w.getMessage() != null && w.getMessage().contains(message))
                        .isPresent(), Duration.ofSeconds(30));
    }

    static List<Pod> pods(String job) {
        List<Pod> pods = new ArrayList<>(client.pods().inNamespace(NS).withLabel("job-name", job).list().getItems());
        pods.sort(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
        return pods;
    }

    static Map<String, String> conditions(Pod pod) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (PodCondition c : pod.getStatus().getConditions()) {
            out.put(c.getType(), c.getStatus());
        }
        return out;
    }

    static Optional<JobCondition> condition(Job job, String type) {
        return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static ContainerStateTerminated terminated(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    }

    static boolean isAlive(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (Exception e) {
            return false;
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes());
    }

    static <T> T await(Supplier<T> read, Predicate<T> done, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + timeout + "; last value: " + value);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            value = read.get();
        }
        return value;
    }
}
