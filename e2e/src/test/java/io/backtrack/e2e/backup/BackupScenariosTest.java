package io.backtrack.e2e.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.CompressionAlgorithm;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backup scenarios from apply to bytes in the bucket, against the real operator, agent, PostgreSQL and S3. */
class BackupScenariosTest {
    static final String NS = "shop";
    static final String DB = "shop";
    static final String BUCKET = "db-backups";
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    static BacktrackEnvironment env;
    static BackupFactory backups;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, DB);
        backups = BackupFactory.of(env, DB, BUCKET);
    }

    @Test
    void aBackupCompletesWithTheBucketsHashAndRestoresToTheSameContent() {
        Backup done = applyAndAwaitTerminal(backups.build(NS, "full"));

        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(BackupPhase.Completed);
        var archive = done.getStatus().archive();
        assertThat(archive.key()).isEqualTo("e2e/shop/full");
        assertThat(archive.archiveKey()).matches("e2e/shop/full/archive-\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.pgdump\\.zst");
        assertThat(env.s3().sha256Of(BUCKET, archive.archiveKey())).isEqualTo(archive.sha256());
        assertThat(env.s3().listKeys(BUCKET, "e2e/shop/full/")).contains(archive.manifestKey());
        assertThat(done.getStatus().database().tables()).isGreaterThan(3);
        assertThat(done.getStatus().database().rows()).isPositive();
        assertThat(done.getStatus().durationSeconds()).isPositive();
        assertThat(ready(done).getStatus()).isEqualTo("True");
        assertThat(reasons("full", "Started", "Completed")).contains("Started", "Completed");

        String restored = env.postgres().uniqueDatabaseName("restored_full");
        var result = AgentCli.restore(env, BUCKET, archive.key(), restored);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(DatabaseFingerprint.of(env.postgres(), restored)).isEqualTo(DatabaseFingerprint.of(env.postgres(), DB));
    }

    @Test
    void partialAndSchemaOnlyBackupsHoldWhatTheScopeSays() {
        Backup partial = applyAndAwaitTerminal(backups.withScope(List.of("public.customers"), false).build(NS, "partial"));
        assertThat(partial.getStatus().phase()).as(describe(partial)).isEqualTo(BackupPhase.Completed);
        assertThat(partial.getStatus().database().tables()).isEqualTo(1);
        String restored = env.postgres().uniqueDatabaseName("restored_partial");
        assertThat(AgentCli.restore(env, BUCKET, partial.getStatus().archive().key(), restored).exitCode()).isZero();
        var original = DatabaseFingerprint.of(env.postgres(), DB).contentHashes();
        var copy = DatabaseFingerprint.of(env.postgres(), restored).contentHashes();
        assertThat(copy.keySet()).containsExactly("public.customers");
        assertThat(copy.get("public.customers")).isEqualTo(original.get("public.customers"));

        Backup schema = applyAndAwaitTerminal(backups.withScope(null, true).build(NS, "schema-only"));
        assertThat(schema.getStatus().phase()).as(describe(schema)).isEqualTo(BackupPhase.Completed);
        String empty = env.postgres().uniqueDatabaseName("restored_schema");
        assertThat(AgentCli.restore(env, BUCKET, schema.getStatus().archive().key(), empty).exitCode()).isZero();
        var tables = DatabaseFingerprint.of(env.postgres(), empty).rowCounts();
        assertThat(tables.keySet()).containsAll(original.keySet());
        assertThat(tables.values()).allMatch(rows -> rows == 0L);
    }

    @Test
    void gzipArchivesCarryTheirOwnExtension() {
        Backup done = applyAndAwaitTerminal(backups.withCompression(new Compression(CompressionAlgorithm.gzip, 1)).build(NS, "gzip"));
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(BackupPhase.Completed);
        assertThat(done.getStatus().archive().archiveKey()).endsWith(".pgdump.gz");
        assertThat(env.s3().sha256Of(BUCKET, done.getStatus().archive().archiveKey())).isEqualTo(done.getStatus().archive().sha256());
    }

    @Test
    void aNameLongEnoughToOverflowTheJobNameStillGetsOneValidJob() {
        String name = "orders-before-the-very-long-named-schema-migration-of-release-42-" + "x".repeat(40);
        Backup done = applyAndAwaitTerminal(backups.build(NS, name));
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(BackupPhase.Completed);
        assertThat(done.getStatus().jobName()).hasSizeLessThanOrEqualTo(63);
        assertThat(jobsOf(name)).hasSize(1);
    }

    @Test
    void restartingTheOperatorMidBackupNeitherDuplicatesTheJobNorLosesTheResult() {
        env.client().resource(backups.build(NS, "restart")).create();
        env.awaitBackup(NS, "restart", b -> b.getStatus() != null && b.getStatus().jobName() != null, TIMEOUT);
        env.operator().kill();
        env.operator().start();
        Backup done = env.awaitBackup(NS, "restart", b -> terminal(b), TIMEOUT);
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(BackupPhase.Completed);
        assertThat(jobsOf("restart")).hasSize(1);
        assertThat(env.s3().sha256Of(BUCKET, done.getStatus().archive().archiveKey())).isEqualTo(done.getStatus().archive().sha256());
    }

    @Test
    void deletionPolicyDeleteRemovesTheArchiveAndRetainKeepsIt() {
        Backup deleted = applyAndAwaitTerminal(backups.withDeletionPolicy(DeletionPolicy.Delete).build(NS, "delete-me"));
        Backup kept = applyAndAwaitTerminal(backups.build(NS, "keep-me"));
        assertThat(env.s3().listKeys(BUCKET, "e2e/shop/delete-me/")).isNotEmpty();

        env.client().resource(deleted).delete();
        env.client().resource(kept).delete();
        awaitGone("delete-me");
        awaitGone("keep-me");

        assertThat(env.s3().listKeys(BUCKET, "e2e/shop/delete-me/")).isEmpty();
        assertThat(env.s3().listKeys(BUCKET, "e2e/shop/keep-me/")).contains("e2e/shop/keep-me/manifest.json");
        assertThat(reasons("delete-me", "ArchiveDeleted")).contains("ArchiveDeleted");
    }

    // --- bad input: each ends with a clear condition, an Event, and nothing in the bucket ---

    @Test
    void aMissingSecretKeepsTheBackupPendingUntilTheSecretExists() {
        Backup backup = backups.withSecrets("late-db-secret", BacktrackEnvironment.S3_SECRET).build(NS, "late-secret");
        env.client().resource(backup).create();
        Backup pending = env.awaitBackup(NS, "late-secret", b -> b.getStatus() != null && b.getStatus().phase() == BackupPhase.Pending, TIMEOUT);
        assertThat(ready(pending).getReason()).isEqualTo("SecretNotFound");
        assertThat(ready(pending).getMessage()).contains("Secret shop/late-db-secret (database credentials) does not exist");
        assertThat(reasons("late-secret", "SecretNotFound")).contains("SecretNotFound");
        assertThat(jobsOf("late-secret")).isEmpty();

        env.secret(NS, "late-db-secret", Map.of("username", env.postgres().superuser(), "password", env.postgres().password()));
        Backup done = env.awaitBackup(NS, "late-secret", BackupScenariosTest::terminal, Duration.ofSeconds(120));
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(BackupPhase.Completed);
    }

    @Test
    void aSecretWithoutTheKeyIsNamed() {
        env.secret(NS, "no-password", Map.of("username", "postgres"));
        Backup backup = backups.withSecrets("no-password", BacktrackEnvironment.S3_SECRET).build(NS, "missing-key");
        env.client().resource(backup).create();
        Backup pending = env.awaitBackup(NS, "missing-key", b -> b.getStatus() != null && b.getStatus().phase() == BackupPhase.Pending, TIMEOUT);
        assertThat(ready(pending).getMessage()).contains("Secret shop/no-password (database credentials) has no key \"password\"");
        assertThat(reasons("missing-key", "SecretNotFound")).contains("SecretNotFound");
    }

    @Test
    void aWrongPasswordFailsClearly() {
        env.secret(NS, "wrong-password", Map.of("username", env.postgres().superuser(), "password", "not-the-password"));
        assertFailsWith(backups.withSecrets("wrong-password", BacktrackEnvironment.S3_SECRET).build(NS, "wrong-password"),
                "DatabaseAuthFailed", "password authentication failed");
    }

    @Test
    void aDatabaseThatDoesNotExistFailsClearly() {
        assertFailsWith(backups.withDatabase(env.postgres().host(), env.postgres().port(), "no_such_db").build(NS, "no-db"),
                "DatabaseNotFound", "no_such_db");
    }

    @Test
    void anUnreachableDatabaseFailsClearly() {
        assertFailsWith(backups.withDatabase("127.0.0.1", closedPort(), DB).build(NS, "db-unreachable"),
                "DatabaseUnreachable", "127.0.0.1");
    }

    @Test
    void anUnreachableS3EndpointFailsClearly() {
        assertFailsWith(backups.withStorage("http://127.0.0.1:" + closedPort(), BUCKET).build(NS, "s3-unreachable"),
                "StorageUnreachable", "127.0.0.1");
    }

    @Test
    void aBucketThatDoesNotExistFailsClearly() {
        assertFailsWith(backups.withStorage(env.s3().endpoint(), "no-such-bucket").build(NS, "no-bucket"),
                "BucketNotFound", "no-such-bucket");
        assertThat(env.s3().listKeys(BUCKET, "e2e/shop/no-bucket/")).isEmpty();
    }

    @Test
    void anInvalidCompressionLevelIsRefusedAtApplyWithoutAJob() {
        // The CRD's CEL rule refuses it before the operator sees it (the operator's own check is unit-tested).
        Backup backup = backups.withCompression(new Compression(CompressionAlgorithm.zstd, 99)).build(NS, "bad-level");
        assertThatThrownBy(() -> env.client().resource(backup).create()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("compression level must be 1-22 for zstd, 1-9 for gzip, and absent for none");
        assertThat(env.backup(NS, "bad-level")).isNull();
        assertThat(jobsOf("bad-level")).isEmpty();
    }

    // --- helpers ---

    private void assertFailsWith(Backup backup, String reason, String messagePart) {
        String name = backup.getMetadata().getName();
        Backup done = applyAndAwaitTerminal(backup);
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(BackupPhase.Failed);
        assertThat(ready(done).getReason()).as(describe(done)).isEqualTo(reason);
        assertThat(ready(done).getMessage()).as(describe(done)).contains(messagePart);
        assertThat(done.getStatus().message()).contains(messagePart);
        List<Event> events = env.events(NS, name, reason);
        assertThat(events).as("events of " + name).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo(reason);
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains(messagePart);
        });
        assertThat(env.s3().listKeys(BUCKET, "e2e/shop/" + name + "/")).as("objects left by " + name).isEmpty();
        assertThat(env.s3().incompleteUploads(BUCKET, "e2e/shop/" + name + "/")).as("uploads left by " + name).isEmpty();
        String secretsInStatus = String.valueOf(done.getStatus()) + events;
        assertThat(secretsInStatus).doesNotContain(env.postgres().password()).doesNotContain(env.s3().secretKey());
    }

    private Backup applyAndAwaitTerminal(Backup backup) {
        env.client().resource(backup).create();
        return env.awaitBackup(NS, backup.getMetadata().getName(), BackupScenariosTest::terminal, TIMEOUT);
    }

    private static boolean terminal(Backup b) {
        return b.getStatus() != null && b.getStatus().phase() != null && b.getStatus().phase().isTerminal();
    }

    private void awaitGone(String name) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (env.backup(NS, name) != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Backup " + name + " was not deleted: " + env.backup(NS, name).getStatus()
                        + "\n" + env.operator().log());
            }
            sleep(100);
        }
    }

    /** The backup Jobs a Backup owns (its label holds the name shortened past 63 characters, so: by owner). */
    private static List<Job> jobsOf(String backup) {
        return env.client().batch().v1().jobs().inNamespace(NS).withLabel(BacktrackApi.BACKUP_LABEL).list().getItems()
                .stream().filter(j -> "backup".equals(j.getMetadata().getLabels().get(BacktrackApi.ROLE_LABEL)))
                .filter(j -> j.getMetadata().getOwnerReferences().stream().anyMatch(o -> backup.equals(o.getName())))
                .toList();
    }

    /** The reasons of the resource's Events, once the awaited ones are there. */
    private static List<String> reasons(String name, String... awaited) {
        return env.eventReasons(NS, name, awaited);
    }

    private static Condition ready(Backup b) {
        return b.getStatus().conditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
    }

    private static String describe(Backup b) {
        return "status of " + b.getMetadata().getName() + ": " + b.getStatus();
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
