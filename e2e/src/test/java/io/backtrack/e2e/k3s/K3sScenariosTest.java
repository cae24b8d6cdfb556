package io.backtrack.e2e.k3s;

import com.marcnuri.helm.Helm;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.e2e.harness.RepoPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenarios on a real cluster: K3s in Docker, the operator and agent images built from their Dockerfiles and
 * imported into the K3s node, the chart installed with Helm, PostgreSQL 16 and MinIO as pods. Backup → Restore (swap)
 * → Schedule, checked by what is in the database and the bucket. Without a Docker engine the suite is skipped and
 * says so ({@link DockerAvailable}).
 */
@ExtendWith(DockerAvailable.class)
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class K3sScenariosTest {
    static final String K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";
    static final String TAG = "k3s-e2e";
    static final String REGISTRY = System.getProperty("backtrack.image.registry", "ghcr.io/backtrack-io");
    static final String OPERATOR_IMAGE = REGISTRY + "/" + System.getProperty("backtrack.image.controller", "backtrack-controller") + ":" + TAG;
    static final String AGENT_IMAGE = REGISTRY + "/" + System.getProperty("backtrack.image.agent", "backtrack-agent") + ":" + TAG;
    static final String SYSTEM_NS = "backtrack-system";
    static final String NS = "shop";
    static final String DB = "orders";
    static final String BUCKET = "db-backups";
    static final String S3_KEY = "minio-k3s";
    static final String S3_SECRET = "minio-k3s-secret";
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    static K3sContainer k3s;
    static KubernetesClient client;

    @BeforeAll
    static void cluster() throws Exception {
        Path root = RepoPaths.root();
        build(root, "operator/controller/Dockerfile", OPERATOR_IMAGE);
        build(root, "operator/agent/Dockerfile", AGENT_IMAGE);
        k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
        k3s.start();
        importImage(OPERATOR_IMAGE);
        importImage(AGENT_IMAGE);
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();

        new Helm(root.resolve("helm/backtrack")).install()
                .withName("backtrack").withNamespace(SYSTEM_NS).createNamespace()
                .withKubeConfigContents(k3s.getKubeConfigYaml())
                .set("image.tag", TAG).set("image.pullPolicy", "Never")
                .set("agent.image.tag", TAG).set("agent.image.pullPolicy", "Never")
                .waitReady().withTimeout((int) TIMEOUT.toSeconds())
                .call();

        apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                """.formatted(NS));
        apply(secret("postgres-credentials", "username", "postgres", "password", "k3s-postgres-password"));
        apply(secret("s3-credentials", "AWS_ACCESS_KEY_ID", S3_KEY, "AWS_SECRET_ACCESS_KEY", S3_SECRET));
        apply(deployment("postgres", "postgres:16", 5432, """
                        - {name: POSTGRES_PASSWORD, value: k3s-postgres-password}
                        - {name: POSTGRES_DB, value: %s}""".formatted(DB), null));
        apply(deployment("minio", "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z", 9000, """
                        - {name: MINIO_ROOT_USER, value: %s}
                        - {name: MINIO_ROOT_PASSWORD, value: %s}""".formatted(S3_KEY, S3_SECRET), "[server, /data]"));
        awaitReady("app=postgres");
        awaitReady("app=minio");
        createBucket();
        await("PostgreSQL accepts connections", () -> psqlOk("SELECT 1"));
        psql(DB, "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 1000) g");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (k3s != null) {
            k3s.stop();
        }
    }

    @Test
    @Order(1)
    void backupWritesAnArchiveAndItsManifestToMinio() throws Exception {
        apply(backup("orders-before-change"));
        Backup done = await(Backup.class, "orders-before-change", b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal());
        assertThat(done.getStatus().phase()).as("%s", done.getStatus()).isEqualTo(BackupPhase.Completed);
        assertThat(done.getStatus().database().rows()).isEqualTo(1000L);
        assertThat(keys(done.getStatus().archive().key())).contains(done.getStatus().archive().archiveKey(),
                done.getStatus().archive().manifestKey());
    }

    @Test
    @Order(2)
    void restoreSwapBringsBackTheBackedUpRows() {
        psql(DB, "DELETE FROM customers WHERE id > 10");
        assertThat(psql(DB, "SELECT count(*) FROM customers")).isEqualTo("10");
        apply("""
                apiVersion: backtrack.io/v1alpha1
                kind: Restore
                metadata: {name: undo-change, namespace: %s}
                spec:
                  backupName: orders-before-change
                  strategy: swap
                  verify: rowCounts
                """.formatted(NS));
        Restore done = await(Restore.class, "undo-change", r -> r.getStatus() != null && r.getStatus().phase() != null
                && r.getStatus().phase().isTerminal());
        assertThat(done.getStatus().phase()).as("%s", done.getStatus()).isEqualTo(RestorePhase.Completed);
        assertThat(done.getStatus().archiveVerified()).isTrue();
        assertThat(done.getStatus().verification().mismatches()).isNullOrEmpty();
        assertThat(psql(DB, "SELECT count(*) FROM customers")).isEqualTo("1000");
        assertThat(done.getStatus().previousDatabase()).isNotBlank();
        assertThat(psql(done.getStatus().previousDatabase(), "SELECT count(*) FROM customers")).isEqualTo("10");
    }

    @Test
    @Order(3)
    void aScheduleBacksUpEveryMinuteAndKeepsTheLastOne() {
        apply("""
                apiVersion: backtrack.io/v1alpha1
                kind: BackupSchedule
                metadata: {name: orders-every-minute, namespace: %s}
                spec:
                  schedule: "* * * * *"
                  retention: {keepLast: 1}
                  backupTemplate:
                    spec:
                %s
                """.formatted(NS, backupSpec().indent(6).stripTrailing()));
        BackupSchedule first = await(BackupSchedule.class, "orders-every-minute",
                s -> s.getStatus() != null && s.getStatus().lastSuccessfulBackup() != null);
        String firstBackup = first.getStatus().lastSuccessfulBackup();
        BackupSchedule second = await(BackupSchedule.class, "orders-every-minute",
                s -> s.getStatus().lastSuccessfulBackup() != null && !s.getStatus().lastSuccessfulBackup().equals(firstBackup));
        assertThat(second.getStatus().lastSuccessTime()).isNotBlank();
        await("retention to prune " + firstBackup, () -> client.resources(Backup.class).inNamespace(NS).withName(firstBackup).get() == null);
    }

    // --- the cluster ---

    /** BuildKit through the docker CLI where there is one (the Dockerfiles use cache mounts), else Testcontainers. */
    private static void build(Path root, String dockerfile, String image) throws Exception {
        if (onPath("docker")) {
            ProcessBuilder pb = new ProcessBuilder("docker", "build", "-f", dockerfile, "-t", image, ".").directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("DOCKER_BUILDKIT", "1");
            Process p = pb.start();
            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.MINUTES) && p.exitValue() == 0).as("docker build -f %s -t %s", dockerfile, image).isTrue();
            return;
        }
        new ImageFromDockerfile(image, false).withFileFromPath(".", root).withDockerfile(root.resolve(dockerfile)).get();
    }

    /** docker save → copy into the K3s node → ctr import, so the chart's pullPolicy Never finds the images. */
    private static void importImage(String image) throws Exception {
        Path tar = Files.createTempFile("backtrack-image-", ".tar");
        try (InputStream in = DockerClientFactory.instance().client().saveImageCmd(image).exec()) {
            Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        String inNode = "/tmp/" + tar.getFileName();
        k3s.copyFileToContainer(MountableFile.forHostPath(tar), inNode);
        var result = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", inNode);
        assertThat(result.getExitCode()).as("ctr images import %s: %s %s", image, result.getStdout(), result.getStderr()).isZero();
        Files.deleteIfExists(tar);
    }

    private static void createBucket() throws Exception {
        Pod minio = client.pods().inNamespace(NS).withLabel("app", "minio").list().getItems().get(0);
        try (LocalPortForward forward = client.pods().inNamespace(NS).withName(minio.getMetadata().getName()).portForward(9000)) {
            MinioClient s3 = MinioClient.builder().endpoint("http://127.0.0.1:" + forward.getLocalPort())
                    .credentials(S3_KEY, S3_SECRET).build();
            await("MinIO answers", () -> {
                try {
                    if (!s3.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
                        s3.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private static List<String> keys(String prefix) throws Exception {
        Pod minio = client.pods().inNamespace(NS).withLabel("app", "minio").list().getItems().get(0);
        try (LocalPortForward forward = client.pods().inNamespace(NS).withName(minio.getMetadata().getName()).portForward(9000)) {
            MinioClient s3 = MinioClient.builder().endpoint("http://127.0.0.1:" + forward.getLocalPort())
                    .credentials(S3_KEY, S3_SECRET).build();
            List<String> keys = new ArrayList<>();
            for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(BUCKET).prefix(prefix).recursive(true).build())) {
                keys.add(item.get().objectName());
            }
            return keys;
        }
    }

    private static String backup(String name) {
        return """
                apiVersion: backtrack.io/v1alpha1
                kind: Backup
                metadata: {name: %s, namespace: %s}
                spec:
                %s
                """.formatted(name, NS, backupSpec().indent(2).stripTrailing());
    }

    private static String backupSpec() {
        return """
                database:
                  engine: postgresql
                  host: postgres.%s.svc
                  port: 5432
                  database: %s
                  credentialsSecret: {name: postgres-credentials}
                storage:
                  s3:
                    endpoint: http://minio.%s.svc:9000
                    bucket: %s
                    prefix: k3s
                    forcePathStyle: true
                    credentialsSecret: {name: s3-credentials}
                """.formatted(NS, DB, NS, BUCKET);
    }

    private static String secret(String name, String k1, String v1, String k2, String v2) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: %s}
                stringData: {%s: "%s", %s: "%s"}
                """.formatted(name, NS, k1, v1, k2, v2);
    }

    private static String deployment(String app, String image, int port, String env, String args) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers:
                      - name: %1$s
                        image: %3$s
                        %5$s
                        ports: [{containerPort: %4$d}]
                        env:
                %6$s
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  selector: {app: %1$s}
                  ports: [{port: %4$d, targetPort: %4$d}]
                """.formatted(app, NS, image, port, args == null ? "" : "args: " + args, env.indent(8).stripTrailing());
    }

    private static void apply(String yaml) {
        for (String doc : yaml.split("(?m)^---$")) {
            if (!doc.isBlank()) {
                HasMetadata resource = resourceOf(doc);
                client.resource(resource).serverSideApply();
            }
        }
    }

    private static HasMetadata resourceOf(String doc) {
        if (doc.contains("kind: Backup\n")) {
            return Serialization.unmarshal(doc, Backup.class);
        }
        if (doc.contains("kind: Restore\n")) {
            return Serialization.unmarshal(doc, Restore.class);
        }
        if (doc.contains("kind: BackupSchedule\n")) {
            return Serialization.unmarshal(doc, BackupSchedule.class);
        }
        return Serialization.unmarshal(doc);
    }

    private static void awaitReady(String selector) {
        String[] kv = selector.split("=");
        await(selector + " ready", () -> client.pods().inNamespace(NS).withLabel(kv[0], kv[1]).list().getItems().stream()
                .anyMatch(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                        && p.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()))));
    }

    private static boolean psqlOk(String sql) {
        try {
            psql(DB, sql);
            return true;
        } catch (AssertionError | RuntimeException e) {
            return false;
        }
    }

    /** Runs SQL with psql inside the PostgreSQL pod; returns the last statement's output, trimmed. */
    private static String psql(String db, String... statements) {
        Pod pod = client.pods().inNamespace(NS).withLabel("app", "postgres").list().getItems().get(0);
        String out = "";
        for (String sql : statements) {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            try (ExecWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName())
                    .writingOutput(stdout).writingError(stderr)
                    .exec("psql", "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-tAc", sql)) {
                int exit = watch.exitCode().get(60, TimeUnit.SECONDS);
                assertThat(exit).as("psql %s: %s", sql, stderr.toString(StandardCharsets.UTF_8)).isZero();
            } catch (Exception e) {
                throw new IllegalStateException("psql " + sql + ": " + e.getMessage(), e);
            }
            out = stdout.toString(StandardCharsets.UTF_8).trim();
        }
        return out;
    }

    private static <T extends HasMetadata> T await(Class<T> type, String name, Predicate<T> condition) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        T last = null;
        while (Instant.now().isBefore(deadline)) {
            last = client.resources(type).inNamespace(NS).withName(name).get();
            if (last != null && condition.test(last)) {
                return last;
            }
            sleep();
        }
        throw new AssertionError(type.getSimpleName() + " " + NS + "/" + name + " did not reach the expected state within "
                + TIMEOUT + ": " + (last == null ? "(gone)" : Serialization.asYaml(last)) + "\n--- operator log ---\n" + operatorLog());
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep();
        }
        throw new AssertionError(what + " did not happen within " + TIMEOUT + "\n--- operator log ---\n" + operatorLog());
    }

    private static String operatorLog() {
        try {
            return client.pods().inNamespace(SYSTEM_NS).list().getItems().stream()
                    .map(p -> client.pods().inNamespace(SYSTEM_NS).withName(p.getMetadata().getName()).tailingLines(200).getLog())
                    .reduce("", String::concat);
        } catch (RuntimeException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }

    private static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
