package io.backtrack.e2e.harness;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.restore.Restore;
import io.backtrack.e2e.cluster.ControlPlane;
import io.backtrack.e2e.cluster.ImageMapping;
import io.backtrack.e2e.cluster.NodeRunner;
import io.backtrack.e2e.postgres.PostgresServer;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.s3.S3Server;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Everything a scenario needs, real except the kubelet and the container runtime: a PostgreSQL server, an S3 server,
 * the real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) with the CRDs
 * from {@code crds/}, a node runner that registers a Node and runs the Pods bound to it as local processes (the agent
 * image as the agent jar), and the operator as a process with the Helm chart's RBAC and environment.
 */
public final class BacktrackEnvironment implements AutoCloseable {
    public static final String AGENT_IMAGE = "ghcr.io/backtrack-io/backtrack-agent:local";
    /** An image the node runs as a long-lived process ({@code sleep}): the Pods of {@link #workload} Deployments. */
    public static final String WORKLOAD_IMAGE = "registry.backtrack.test/workload:1";
    public static final String DB_SECRET = "db-credentials";
    public static final String S3_SECRET = "s3-credentials";
    /** What every namespace of the environment enforces: every Job Pod must pass this admission. */
    public static final String POD_SECURITY = "restricted";

    private final PostgresServer postgres;
    private final S3Server s3;
    private final ControlPlane cluster;
    private final OperatorInstall install;
    private final NodeRunner runner;
    private final OperatorProcess operator;
    private final Path workDir;
    private final OperatorClock clock;

    /** Ports of the pieces; 0 picks a free one. */
    public record Ports(int postgres, int s3, int apiServer) {
        public static final Ports ANY = new Ports(0, 0, 0);
    }

    private BacktrackEnvironment(Ports ports, Path workDir, List<AutoCloseable> started, Consumer<String> progress) {
        this.workDir = workDir;
        progress.accept("starting PostgreSQL and S3Proxy ...");
        postgres = track(started, ports.postgres() == 0 ? PostgresServer.start() : PostgresServer.start(ports.postgres()));
        s3 = track(started, ports.s3() == 0 ? S3Server.start() : S3Server.start(ports.s3()));
        progress.accept("starting the Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, "
                + "kube-scheduler; building it first if needed) ...");
        cluster = track(started, ControlPlane.start(workDir.resolve("controlplane"), ports.apiServer()));
        progress.accept("applying the CRDs from crds/ and the Helm chart's RBAC, registering the node ...");
        cluster.applyCrds(RepoPaths.crds());
        install = OperatorInstall.apply(cluster, workDir, Map.of());
        runner = track(started, NodeRunner.builder(cluster.client())
                .image("backtrack-agent", List.of(OperatorProcess.javaBinary(), "-Xmx256m", "-jar", RepoPaths.agentJar().toString()))
                .image(ImageMapping.repository(ImageMapping.repositoryOf(WORKLOAD_IMAGE), List.of("sleep", "infinity")))
                .logDir(workDir.resolve("pods"))
                .workDir(workDir.resolve("pod-dirs"))
                .start());
        clock = new OperatorClock(workDir.resolve("clock-offset"));
        Map<String, String> env = new LinkedHashMap<>(install.env());
        // Test-only, both off in production: the operator's clock is the system clock plus the offset in this file
        // (scenarios move it instead of waiting hours), and every schedule is reconciled at least once a second (not
        // hourly), so that a clock jump is acted on within a second.
        env.put("BACKTRACK_CLOCK_OFFSET_FILE", clock.file().toString());
        env.put("BACKTRACK_SCHEDULE_MAX_REQUEUE_INTERVAL", "PT1S");
        progress.accept("starting the operator as ServiceAccount " + OperatorInstall.NAMESPACE + "/" + install.serviceAccount()
                + " ...");
        operator = track(started, new OperatorProcess(install.kubeconfig(), workDir, env)).start();
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> started, T piece) {
        started.add(piece);
        return piece;
    }

    /** Starts everything; what was started is stopped again (and its files removed) when a piece fails to start. */
    public static BacktrackEnvironment start(Ports ports) {
        return start(ports, step -> { });
    }

    /** As {@link #start(Ports)}, saying each step to {@code progress} as it begins. */
    public static BacktrackEnvironment start(Ports ports, Consumer<String> progress) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("backtrack-env-");
            // Containers run as their Pod's non-root UID: they must reach their directories below this one.
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the environment: " + e.getMessage(), e);
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            return new BacktrackEnvironment(ports, workDir, started, progress);
        } catch (RuntimeException | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                closeQuietly(started.get(i));
            }
            PostgresServer.deleteRecursively(workDir);
            throw e;
        }
    }

    private static BacktrackEnvironment shared;
    private static RuntimeException sharedFailure;

    /**
     * One environment per test JVM, stopped when the JVM exits. When it cannot start, every later call fails at once
     * with the same cause instead of trying again.
     */
    public static synchronized BacktrackEnvironment shared() {
        if (sharedFailure != null) {
            throw new IllegalStateException("the shared environment failed to start: " + sharedFailure.getMessage(),
                    sharedFailure);
        }
        if (shared == null) {
            try {
                shared = start(Ports.ANY);
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public KubernetesClient client() {
        return cluster.client();
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public S3Server s3() {
        return s3;
    }

    /** The control plane: its admin client and kubeconfig, its URL, the bundled kubectl. */
    public ControlPlane cluster() {
        return cluster;
    }

    /** The chart's RBAC as applied, and the operator's kubeconfig and environment. */
    public OperatorInstall install() {
        return install;
    }

    public NodeRunner runner() {
        return runner;
    }

    /** Runs the bundled kubectl (the control plane's version) with the admin kubeconfig. */
    public ControlPlane.KubectlResult kubectl(String... args) {
        return cluster.kubectl(args);
    }

    /** As {@link #kubectl(String...)}, with {@code stdin} as its standard input (a manifest for {@code -f -}). */
    public ControlPlane.KubectlResult kubectlWithInput(String stdin, String... args) {
        return cluster.kubectlWithInput(stdin, args);
    }

    public OperatorProcess operator() {
        return operator;
    }

    /**
     * Restarts the operator with these operator settings (environment variables such as
     * BACKTRACK_AGENT_MAX_RUNNING_JOBS) on top of the harness's own; an empty map goes back to the defaults.
     */
    public void restartOperator(Map<String, String> settings) {
        operator.stop();
        operator.settings(settings);
        operator.start();
    }

    /** The operator's clock, which scenarios move forward instead of waiting. */
    public OperatorClock operatorClock() {
        return clock;
    }

    public BackupSchedule schedule(String namespace, String name) {
        return client().resources(BackupSchedule.class).inNamespace(namespace).withName(name).get();
    }

    /** The Backups a schedule created (label backtrack.io/schedule), oldest first. */
    public List<Backup> backupsOf(String namespace, String schedule) {
        return client().resources(Backup.class).inNamespace(namespace).withLabel(BacktrackApi.SCHEDULE_LABEL, schedule)
                .list().getItems().stream().sorted(Comparator.comparing(b -> b.getMetadata().getName())).toList();
    }

    /** Waits until the BackupSchedule satisfies the condition; fails with its last status and the operator log. */
    public BackupSchedule awaitSchedule(String namespace, String name, Predicate<BackupSchedule> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        BackupSchedule last = null;
        while (Instant.now().isBefore(deadline)) {
            last = schedule(namespace, name);
            if (last != null && condition.test(last)) {
                return last;
            }
            sleep(100);
        }
        throw new AssertionError("BackupSchedule " + namespace + "/" + name + " did not reach the expected state within "
                + timeout + "; last status: " + (last == null ? "(gone)" : last.getStatus()) + "; backups: "
                + backupsOf(namespace, name).stream().map(b -> b.getMetadata().getName() + "=" + (b.getStatus() == null ? null : b.getStatus().phase())).toList()
                + "\n--- operator log (tail) ---\n" + tail(operator.log(), 6000));
    }

    /** Waits until a condition over anything holds; fails with the description and the operator log. */
    public void await(String what, java.util.function.BooleanSupplier condition, Duration timeout) {
        await(what, condition, timeout, () -> "");
    }

    /** As {@link #await(String, java.util.function.BooleanSupplier, Duration)}, saying {@code state} on a timeout. */
    public void await(String what, java.util.function.BooleanSupplier condition, Duration timeout,
                      java.util.function.Supplier<String> state) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(what + " did not happen within " + timeout + "\n" + state.get()
                + "\n--- operator log (tail) ---\n" + tail(operator.log(), 6000));
    }

    /**
     * A namespace with the two Secrets the examples use (database superuser and S3 keys), enforcing the Pod Security
     * Standard {@value #POD_SECURITY}, once its {@code default} ServiceAccount exists (Pods need it).
     */
    public String namespace(String name) {
        client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                        .addToLabels("pod-security.kubernetes.io/enforce", POD_SECURITY)
                        .addToLabels("pod-security.kubernetes.io/warn", POD_SECURITY)
                        .endMetadata().build())
                .serverSideApply();
        client().serviceAccounts().inNamespace(name).withName("default")
                .waitUntilCondition(sa -> sa != null, 30, TimeUnit.SECONDS);
        secret(name, DB_SECRET, Map.of("username", postgres.superuser(), "password", postgres.password()));
        secret(name, S3_SECRET, Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey()));
        return name;
    }

    /** What most scenarios start from: the namespace with its Secrets, the bucket, and the sample database if named. */
    public void prepare(String namespace, String bucket, String sampleDatabase) {
        namespace(namespace);
        s3.createBucket(bucket);
        if (sampleDatabase != null && !postgres.databaseExists(sampleDatabase)) {
            postgres.createDatabase(sampleDatabase);
            SampleData.load(postgres, sampleDatabase);
        }
    }

    public void secret(String namespace, String name, Map<String, String> values) {
        client().secrets().inNamespace(namespace).resource(new SecretBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .withStringData(values)
                        .build())
                .createOr(existing -> existing.update());
    }

    /**
     * A Deployment whose Pods pass the namespace's admission and run on the node ({@link #WORKLOAD_IMAGE}): an
     * application for a Restore to quiesce. Labels {@code app: NAME}.
     */
    public Deployment workload(String namespace, String name, int replicas) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(5L).withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("app").withImage(WORKLOAD_IMAGE)
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .endContainer().endSpec().endTemplate().endSpec().build();
        return client().resource(d).create();
    }

    public Backup backup(String namespace, String name) {
        return client().resources(Backup.class).inNamespace(namespace).withName(name).get();
    }

    public Backup awaitBackup(String namespace, String name, Predicate<Backup> condition, Duration timeout) {
        return await(Backup.class, namespace, name, condition, timeout);
    }

    public Restore restore(String namespace, String name) {
        return client().resources(Restore.class).inNamespace(namespace).withName(name).get();
    }

    public Restore awaitRestore(String namespace, String name, Predicate<Restore> condition, Duration timeout) {
        return await(Restore.class, namespace, name, condition, timeout);
    }

    /** Waits until the resource satisfies the condition; fails with its last status and the operator log. */
    public <T extends CustomResource<?, ?>> T await(Class<T> type, String namespace, String name, Predicate<T> condition,
                                                    Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        T last = null;
        while (Instant.now().isBefore(deadline)) {
            last = client().resources(type).inNamespace(namespace).withName(name).get();
            if (last != null && condition.test(last)) {
                return last;
            }
            sleep(100);
        }
        throw new AssertionError(type.getSimpleName() + " " + namespace + "/" + name + " did not reach the expected state within "
                + timeout + "; last status: " + (last == null ? "(gone)" : last.getStatus())
                + "\n--- operator log (tail) ---\n" + tail(operator.log(), 6000));
    }

    /**
     * Changes a resource as a person with kubectl edit would: on a 409 (the operator wrote it meanwhile) read it
     * again and re-apply the change.
     */
    public <T extends HasMetadata> T edit(Class<T> type, String namespace, String name, UnaryOperator<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client().resources(type).inNamespace(namespace).withName(name).edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * The Events of a resource, oldest first, once one of each {@code awaitedReasons} is among them (at most 10 s,
     * then what there is, for the assertion to report): the operator writes Events on a thread of its own, so one
     * can land just after the status it accompanies.
     */
    public List<Event> events(String namespace, String name, String... awaitedReasons) {
        Instant deadline = Instant.now().plusSeconds(10);
        List<Event> events = eventsNow(namespace, name);
        while (!events.stream().map(Event::getReason).toList().containsAll(List.of(awaitedReasons))
                && Instant.now().isBefore(deadline)) {
            sleep(100);
            events = eventsNow(namespace, name);
        }
        return events;
    }

    /** The reasons of a resource's Events, oldest first, once the awaited ones are there (see {@link #events}). */
    public List<String> eventReasons(String namespace, String name, String... awaitedReasons) {
        return events(namespace, name, awaitedReasons).stream().map(Event::getReason).toList();
    }

    private List<Event> eventsNow(String namespace, String name) {
        // The API server keeps whole seconds of lastTimestamp; within a second, the order they were written in (the
        // operator writes Events one at a time) is their resourceVersion's, etcd's revision.
        return client().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing((Event e) -> e.getLastTimestamp() == null ? Instant.EPOCH : Instant.parse(e.getLastTimestamp()))
                        .thenComparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
                .toList();
    }

    @Override
    public synchronized void close() {
        // In parallel, within the 30 s a test JVM (surefire) or a user's Ctrl-C leaves: the operator, PostgreSQL and
        // S3Proxy stop on their own; the node stops its Pods before the control plane goes.
        List<Thread> stopping = new ArrayList<>();
        for (Runnable stop : List.<Runnable>of(() -> closeQuietly(operator), () -> closeQuietly(s3), () -> closeQuietly(postgres),
                () -> {
                    closeQuietly(runner);
                    closeQuietly(cluster);
                })) {
            Thread t = new Thread(stop, "environment-stop");
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join(Duration.ofSeconds(25).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (System.getenv("BACKTRACK_KEEP_WORK_DIR") == null) {
            PostgresServer.deleteRecursively(workDir);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            System.err.println("while stopping " + c.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static String tail(String text, int max) {
        return text.length() > max ? text.substring(text.length() - max) : text;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
