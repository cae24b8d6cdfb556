package io.backtrack.e2e.harness;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.restore.Restore;
import io.backtrack.e2e.cluster.LocalJobRunner;
import io.backtrack.e2e.cluster.MockCluster;
import io.backtrack.e2e.postgres.PostgresServer;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.s3.S3Server;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Everything a scenario needs, real except the kubelet: a PostgreSQL server, an S3 server, the mock API
 * server with our CRDs, the local Job runner executing the agent jar, and the operator as a process.
 */
public final class BacktrackEnvironment implements AutoCloseable {
    public static final String AGENT_IMAGE = "ghcr.io/backtrack-io/backtrack-agent:local";
    public static final String DB_SECRET = "db-credentials";
    public static final String S3_SECRET = "s3-credentials";

    private final PostgresServer postgres;
    private final S3Server s3;
    private final MockCluster cluster;
    private final LocalJobRunner runner;
    private final OperatorProcess operator;
    private final Path workDir;
    private final OperatorClock clock;

    /** Ports of the pieces; 0 picks a free one. */
    public record Ports(int postgres, int s3, int apiServer) {
        public static final Ports ANY = new Ports(0, 0, 0);
    }

    private BacktrackEnvironment(Ports ports) throws IOException {
        workDir = Files.createTempDirectory("backtrack-env-");
        postgres = ports.postgres() == 0 ? PostgresServer.start() : PostgresServer.start(ports.postgres());
        s3 = ports.s3() == 0 ? S3Server.start() : S3Server.start(ports.s3());
        cluster = ports.apiServer() == 0 ? MockCluster.start() : MockCluster.start(ports.apiServer());
        cluster.applyCrds(RepoPaths.crds());
        cluster.startGarbageCollector(Duration.ofMillis(500));
        runner = LocalJobRunner.builder(cluster.client())
                .image("backtrack-agent", List.of(OperatorProcess.javaBinary(), "-Xmx256m", "-jar", RepoPaths.agentJar().toString()))
                .logDir(workDir.resolve("pods"))
                .start();
        clock = new OperatorClock(workDir.resolve("clock-offset"));
        // The test clock (off outside tests) and a short requeue, so a clock jump is acted on within a second.
        operator = new OperatorProcess(cluster.url(), workDir, Map.of("BACKTRACK_AGENT_IMAGE", AGENT_IMAGE,
                "BACKTRACK_CLOCK_OFFSET_FILE", clock.file().toString(),
                "BACKTRACK_SCHEDULE_MAX_REQUEUE_INTERVAL", "PT1S")).start();
    }

    public static BacktrackEnvironment start(Ports ports) {
        try {
            return new BacktrackEnvironment(ports);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the environment: " + e.getMessage(), e);
        }
    }

    private static BacktrackEnvironment shared;

    /** One environment per test JVM, stopped when the JVM exits. */
    public static synchronized BacktrackEnvironment shared() {
        if (shared == null) {
            shared = start(Ports.ANY);
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

    public MockCluster cluster() {
        return cluster;
    }

    public LocalJobRunner runner() {
        return runner;
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

    /**
     * Whether the API server is a real kube-apiserver with kube-controller-manager (Job controller with
     * podFailurePolicy, garbage collector, namespace lifecycle, label validation). This mock API server has none of
     * them; tests of those behaviours are tagged {@code real-control-plane} and skipped here (issue 17).
     */
    public boolean isRealControlPlane() {
        return false;
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
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(what + " did not happen within " + timeout + "\n--- operator log (tail) ---\n"
                + tail(operator.log(), 6000));
    }

    /** A namespace with the two Secrets the examples use: database superuser and S3 keys. */
    public String namespace(String name) {
        client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .createOr(existing -> existing.update());
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
        return client().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(e -> e.getLastTimestamp() == null ? Instant.EPOCH : Instant.parse(e.getLastTimestamp())))
                .toList();
    }

    @Override
    public synchronized void close() {
        closeQuietly(operator);
        closeQuietly(runner);
        closeQuietly(cluster);
        closeQuietly(s3);
        closeQuietly(postgres);
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
