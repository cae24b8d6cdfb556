package io.backtrack.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

class LocalJobRunnerTest {

    static final String NS = "jobs";
    static final EnvVar TERMINATION_LOG = new EnvVar("BACKTRACK_TERMINATION_LOG", "/dev/termination-log", null);

    static MockCluster cluster;
    static KubernetesClient client; // a separate client, like the operator's
    static LocalJobRunner runner;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() {
        cluster = MockCluster.start();
        client = MockCluster.newClient(cluster.url());
        runner = LocalJobRunner.builder(cluster.client())
                .image("test/echo", List.of("/bin/sh", "-c"))
                // "$@" shows exactly which arguments arrived: a list, not a shell string
                .image(ImageMapping.repositoryEndsWith("test/args",
                        List.of("/bin/sh", "-c", "printf '%s|' \"$@\" > \"$BACKTRACK_TERMINATION_LOG\"", "sh")))
                .env("EXTRA_FROM_HARNESS", "harness")
                .logDir(temp.resolve("logs"))
                .start();
    }

    @AfterAll
    static void stop() {
        runner.close();
        client.close();
        cluster.close();
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
        assertThat(done.getStatus().getActive()).isZero();
        assertThat(done.getStatus().getStartTime()).isNotNull();
        assertThat(done.getStatus().getCompletionTime()).isNotNull();

        List<Pod> pods = pods("ok");
        assertThat(pods).hasSize(1);
        Pod pod = pods.get(0);
        assertThat(pod.getMetadata().getName()).matches("ok-[a-z]{5}");
        assertThat(pod.getMetadata().getLabels()).containsEntry("job-name", "ok")
                .containsEntry("batch.kubernetes.io/controller-uid", job.getMetadata().getUid())
                .containsEntry("controller-uid", job.getMetadata().getUid()).containsEntry("app", "test");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getController()).isTrue())
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid()));
        assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
        ContainerStateTerminated terminated = terminated(pod);
        assertThat(terminated.getExitCode()).isZero();
        assertThat(terminated.getReason()).isEqualTo("Completed");
        assertThat(terminated.getMessage()).isEqualTo("hi\n");
        assertThat(terminated.getStartedAt()).isNotNull();
        assertThat(terminated.getFinishedAt()).isNotNull();
        assertThat(runner.logs(NS, pod.getMetadata().getName())).startsWith("to the log harness /");
    }

    @Test
    void failingJobRetriesUntilBackoffLimit() {
        Job job = job("fail", "test/echo", List.of(), "echo nope; exit 1");
        job.getSpec().setBackoffLimit(1);
        client.resource(job).create();

        Job done = awaitFinished("fail");
        assertThat(condition(done, "Failed")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded");
        });
        assertThat(condition(done, "FailureTarget")).isPresent();
        assertThat(done.getStatus().getFailed()).isEqualTo(2);
        List<Pod> pods = pods("fail");
        assertThat(pods).hasSize(2).allSatisfy(p -> {
            assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(terminated(p).getExitCode()).isEqualTo(1);
            assertThat(terminated(p).getReason()).isEqualTo("Error");
        });
        assertThat(pods.get(0).getMetadata().getName()).isNotEqualTo(pods.get(1).getMetadata().getName());
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
        Job job = job("args", "registry.local:5000/test/args@sha256:abc",
                List.of(TERMINATION_LOG, new EnvVar("WHO", "world", null)));
        job.getSpec().getTemplate().getSpec().getContainers().get(0)
                .setArgs(List.of("a b", "$(WHO)", "c;d $(UNDEFINED)", "$$(WHO)"));
        client.resource(job).create();

        awaitFinished("args");
        assertThat(terminated(pods("args").get(0)).getMessage()).isEqualTo("a b|world|c;d $(UNDEFINED)|$(WHO)|");
    }

    @Test
    void activeDeadlineKillsTheProcessTree() throws Exception {
        Path pidFile = temp.resolve("deadline.pid");
        Job job = job("deadline", "test/echo", List.of(new EnvVar("PIDFILE", pidFile.toString(), null)),
                "sleep 30 & echo $! > \"$PIDFILE\"; wait");
        job.getSpec().setActiveDeadlineSeconds(2L);
        long started = System.nanoTime();
        client.resource(job).create();

        Job done = awaitFinished("deadline");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(condition(done, "Failed")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("DeadlineExceeded"));
        Pod pod = pods("deadline").get(0);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(pod.getStatus().getReason()).isEqualTo("DeadlineExceeded");
        assertThat(Files.exists(pidFile)).isTrue();
        assertThat(isAlive(pidFile)).isFalse();
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

        awaitWaiting("secret", "secret \"db-creds\" not found");
        client.resource(new SecretBuilder().withNewMetadata().withName("db-creds").withNamespace(NS).endMetadata()
                .withData(Map.of("other", b64("x"))).build()).create();
        awaitWaiting("secret", "couldn't find key password in Secret jobs/db-creds");
        assertThat(pods("secret")).singleElement()
                .satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Pending"));

        client.secrets().inNamespace(NS).withName("db-creds")
                .edit(s -> new SecretBuilder(s).addToData("password", b64("s3cr3t w/ spaces")).build());
        Job done = awaitFinished("secret");
        assertThat(condition(done, "Complete")).isPresent();
        assertThat(terminated(pods("secret").get(0)).getMessage()).isEqualTo("alice:s3cr3t w/ spaces");
    }

    @Test
    void unknownImageFailsLikeAPullError() {
        Job job = job("noimage", "example.com/unknown:1", List.of(), "true");
        job.getSpec().setBackoffLimit(0);
        client.resource(job).create();

        Job done = awaitFinished("noimage");
        assertThat(condition(done, "Failed")).hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded"));
        var waiting = pods("noimage").get(0).getStatus().getContainerStatuses().get(0).getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("ErrImagePull");
        assertThat(waiting.getMessage()).contains("example.com/unknown:1");
    }

    @Test
    void deletingTheJobKillsItsProcessAndPods() throws Exception {
        Path pidFile = temp.resolve("delete.pid");
        client.resource(job("deleted", "test/echo", List.of(new EnvVar("PIDFILE", pidFile.toString(), null)),
                "sleep 30 & echo $! > \"$PIDFILE\"; wait")).create();
        awaitPodPhase("deleted", "Running");
        await(() -> Files.exists(pidFile) && isAlive(pidFile), b -> b);

        client.batch().v1().jobs().inNamespace(NS).withName("deleted").delete();
        await(() -> isAlive(pidFile), alive -> !alive);
        await(() -> pods("deleted"), List::isEmpty);
    }

    @Test
    void ownerGarbageCollectionStopsTheJob() throws Exception {
        var owner = client.resource(new ConfigMapBuilder().withNewMetadata().withName("owner").withNamespace(NS)
                .endMetadata().build()).create();
        Path pidFile = temp.resolve("owned.pid");
        Job job = job("owned", "test/echo", List.of(new EnvVar("PIDFILE", pidFile.toString(), null)),
                "sleep 30 & echo $! > \"$PIDFILE\"; wait");
        job.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1")
                .withKind("ConfigMap").withName("owner").withUid(owner.getMetadata().getUid()).withController(true)
                .build()));
        client.resource(job).create();
        awaitPodPhase("owned", "Running");
        await(() -> Files.exists(pidFile) && isAlive(pidFile), b -> b);
        assertThat(cluster.collectGarbage()).isZero();

        client.resource(owner).delete();
        assertThat(cluster.collectGarbage()).isGreaterThanOrEqualTo(1);
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("owned").get()).isNull();
        await(() -> isAlive(pidFile), alive -> !alive);
        await(() -> { cluster.collectGarbage(); return pods("owned"); }, List::isEmpty);
    }

    @Test
    void aRestartedRunnerTakesOverActiveJobs() {
        // A Job another runner had started: active, with a Pod left Running.
        Job job = client.resource(job("takeover", "test/echo", List.of(TERMINATION_LOG),
                "echo again > \"$BACKTRACK_TERMINATION_LOG\"")).create();
        awaitFinished("takeover");
        Pod first = pods("takeover").get(0);
        first.getStatus().setPhase("Running");
        client.resource(first).updateStatus();
        try (var cluster2 = MockCluster.start()) {
            // Same objects in a fresh cluster, seen by a fresh runner.
            var c2 = cluster2.client();
            Job copy = new JobBuilder(job).editMetadata().withResourceVersion(null).withUid(null).endMetadata()
                    .withStatus(null).build();
            copy = c2.resource(copy).create();
            copy.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withActive(1).build());
            c2.resource(copy).updateStatus();
            Pod leftover = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("takeover-old")
                    .withNamespace(NS).addToLabels("batch.kubernetes.io/controller-uid", copy.getMetadata().getUid())
                    .addToLabels("job-name", "takeover").endMetadata().withSpec(first.getSpec()).build();
            leftover = c2.resource(leftover).create();
            leftover.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
            c2.resource(leftover).updateStatus();

            try (var runner2 = LocalJobRunner.builder(c2).image("test/echo", List.of("/bin/sh", "-c"))
                    .logDir(temp.resolve("logs2")).start()) {
                Job done = await(() -> c2.batch().v1().jobs().inNamespace(NS).withName("takeover").get(),
                        JobRun::isFinished);
                assertThat(condition(done, "Complete")).isPresent();
                assertThat(done.getStatus().getFailed()).isEqualTo(1);
                assertThat(c2.pods().inNamespace(NS).withName("takeover-old").get().getStatus().getPhase())
                        .isEqualTo("Failed");
            }
        }
    }

    // --- helpers

    static Job job(String name, String image, List<EnvVar> env, String... args) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().withLabels(Map.of("app", "test")).endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage(image).withEnv(new ArrayList<>(env))
                .withArgs(args).withTerminationMessagePolicy("FallbackToLogsOnError").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    static Job awaitFinished(String name) {
        return await(() -> client.batch().v1().jobs().inNamespace(NS).withName(name).get(),
                j -> j != null && JobRun.isFinished(j));
    }

    static void awaitWaiting(String job, String message) {
        await(() -> pods(job), pods -> pods.size() == 1 && pods.get(0).getStatus() != null
                && pods.get(0).getStatus().getContainerStatuses() != null
                && Optional.ofNullable(pods.get(0).getStatus().getContainerStatuses().get(0).getState().getWaiting())
                        .filter(w -> "CreateContainerConfigError".equals(w.getReason())
                                && message.equals(w.getMessage())).isPresent());
    }

    static void awaitPodPhase(String job, String phase) {
        await(() -> pods(job), pods -> pods.size() == 1 && pods.get(0).getStatus() != null
                && phase.equals(pods.get(0).getStatus().getPhase()));
    }

    static List<Pod> pods(String job) {
        List<Pod> pods = new ArrayList<>(client.pods().inNamespace(NS).withLabel("job-name", job).list().getItems());
        pods.sort(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
        return pods;
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

    static <T> T await(Supplier<T> read, Predicate<T> done) {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out; last value: " + value);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            value = read.get();
        }
        return value;
    }
}
