package io.backtrack.controller.backup;

import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.encryption.AgeEncryption;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.encryption.RecipientsSecret;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageSpec;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.contract.result.ResultLine;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.status.Conditions;
import io.backtrack.controller.storage.TestStorages;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client-side encryption on the Backup side: which recipients a backup Job gets (its own encryption over its
 * BackupStorage's), the Secret checked first, what the status records, and plaintext where ciphertext was asked for
 * never counted as a backup.
 */
@EnableKubernetesMockClient(crud = true)
class BackupEncryptionTest {
    private static final Instant NOW = Instant.parse("2026-11-22T02:00:00Z");
    private static final String RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    KubernetesClient client;
    private TestCluster cluster;
    private BackupReconciler reconciler;

    @BeforeEach
    void operator() {
        cluster = new TestCluster(client, NOW).withSecrets();
        reconciler = new BackupReconciler(client, cluster.events, TestConfig.INSTANCE, cluster.clock, cluster.pruner,
                cluster.metrics, cluster.gate, cluster.firings);
        reconciler.podsFrom(cluster.pendingPods());
    }

    private UpdateControl<Backup> reconcile(Backup backup) {
        return reconciler.reconcile(backup, new TestContext<>(client, backup).source(BackupReconciler.RESTORES,
                cluster.restores).source(BackupReconciler.JOBS, cluster.jobs));
    }

    private static EncryptionSpec encryption(String secret, String key) {
        return new EncryptionSpec(new AgeEncryption(new RecipientsSecret(secret, key)));
    }

    /** Each test Backup backs up a database of its own, so none waits in the queue for another's. */
    private static int databases;

    private static BackupSpec spec(EncryptionSpec own, boolean viaStorage) {
        BackupSpec s = TestBackups.spec(null, null, null);
        var db = s.database();
        var database = new io.backtrack.api.database.DatabaseSpec(db.engine(), db.host(), db.port(),
                db.database() + "_" + ++databases, db.credentialsSecret(), db.tls());
        return new BackupSpec(s.description(), database, viaStorage ? null : s.storage(),
                viaStorage ? new StorageRef("vault") : null, null, null, s.deletionPolicy(), null, null, null, own);
    }

    private Optional<EnvVar> recipientsEnv(Backup backup) {
        Job job = client.batch().v1().jobs().inNamespace(TestCluster.NS).withName(BackupJobs.backupJobName(backup))
                .get();
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(AgentEnv.AGE_RECIPIENTS)).findFirst();
    }

    private static Condition ready(Backup backup) {
        return Conditions.find(backup.getStatus().conditions(), ConditionType.Ready);
    }

    @Test
    void theJobGetsTheRecipientsOfItsBackupStorageOrItsOwnOnlyAsASecretRefAfterTheSecretIsChecked() {
        BackupStorage vault = TestStorages.storage("vault", "db-backups", "prod", null);
        BackupStorageSpec s = vault.getSpec();
        vault.setSpec(new BackupStorageSpec(s.s3(), s.probeInterval(), encryption("team-keys", null)));
        client.resource(vault).create();

        Backup fromStorage = cluster.create(TestBackups.backup("from-storage", spec(null, true)));
        Backup pending = reconcile(fromStorage).getResource().orElseThrow();
        assertThat(ready(pending).getReason()).isEqualTo("SecretNotFound");
        assertThat(ready(pending).getMessage()).contains("Secret shop/team-keys (age recipients) does not exist");
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();

        cluster.secret("team-keys", "recipients");
        assertThat(reconcile(cluster.writeStatus(pending)).getResource().orElseThrow().getStatus().phase())
                .isEqualTo(BackupPhase.Running);
        EnvVar env = recipientsEnv(fromStorage).orElseThrow();
        assertThat(env.getValue()).as("never the value itself").isNull();
        assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("team-keys");
        assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(RecipientsSecret.DEFAULT_KEY);

        cluster.secret("own-keys", "age.txt");
        Backup own = cluster.create(TestBackups.backup("own", spec(encryption("own-keys", "age.txt"), true)));
        reconcile(own);
        assertThat(recipientsEnv(own).orElseThrow().getValueFrom().getSecretKeyRef().getName())
                .as("the Backup's own encryption wins").isEqualTo("own-keys");

        Backup plain = cluster.create(TestBackups.backup("plain", spec(null, false)));
        reconcile(plain);
        assertThat(recipientsEnv(plain)).as("inline storage, no encryption").isEmpty();
    }

    @Test
    void anEncryptionWithoutASecretNameIsAnInvalidSpec() {
        Backup backup = cluster.create(TestBackups.backup("nameless", spec(encryption(" ", null), false)));
        Backup failed = reconcile(backup).getResource().orElseThrow();
        assertThat(failed.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(ready(failed).getMessage()).contains("encryption.age.recipientsSecret.name is required");
    }

    @Test
    void theStatusRecordsTheRecipientsAndPlaintextWhereCiphertextWasAskedForFailsTheBackup() {
        cluster.secret("own-keys", "recipients");
        Backup encrypted = cluster.create(TestBackups.backup("encrypted", spec(encryption("own-keys", null), false)));
        BackupStatus running = reconcile(encrypted).getResource().orElseThrow().getStatus();
        cluster.finish(job(encrypted), true, 0, ResultLine.success(result("archive.pgdump.zst.age", "age",
                List.of(RECIPIENT))).toJson());
        Backup done = reconcile(cluster.writeStatus(withStatus(encrypted, running))).getResource().orElseThrow();
        assertThat(done.getStatus().phase()).isEqualTo(BackupPhase.Completed);
        assertThat(done.getStatus().archive().encryption()).isEqualTo("age");
        assertThat(done.getStatus().archive().recipients()).containsExactly(RECIPIENT);
        assertThat(done.getStatus().message()).startsWith("encrypted archive of");

        Backup ignored = cluster.create(TestBackups.backup("ignored", spec(encryption("own-keys", null), false)));
        BackupStatus started = reconcile(ignored).getResource().orElseThrow().getStatus();
        cluster.finish(job(ignored), true, 0, ResultLine.success(result("archive.pgdump.zst", null, null)).toJson());
        Backup failed = reconcile(cluster.writeStatus(withStatus(ignored, started))).getResource().orElseThrow();
        assertThat(failed.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(ready(failed).getReason()).isEqualTo("EncryptionNotApplied");
        assertThat(ready(failed).getMessage()).contains("s3://db-backups/prod/shop/x/archive.pgdump.zst",
                "unencrypted");
        assertThat(failed.getStatus().archive()).as("never listed as a backup").isNull();
    }

    private Job job(Backup backup) {
        return client.batch().v1().jobs().inNamespace(TestCluster.NS).withName(BackupJobs.backupJobName(backup)).get();
    }

    private static Backup withStatus(Backup backup, BackupStatus status) {
        Backup copy = TestBackups.backup(backup.getMetadata().getName(), backup.getSpec());
        copy.setStatus(status);
        return copy;
    }

    private static BackupResult result(String archive, String encryption, List<String> recipients) {
        return new BackupResult("prod/shop/x", "prod/shop/x/manifest.json", "prod/shop/x/" + archive, "db-backups",
                "9f86d081884c7d659a2feaa0c55ad015", 48213L, "zstd", 1, "custom", "orders", "16.4",
                "pg_dump (PostgreSQL) 16.4", 42, 1234567L, null, null, 1, "2026-11-22T02:00:00Z",
                "2026-11-22T02:00:12.400Z", 12.4, encryption, recipients);
    }
}
