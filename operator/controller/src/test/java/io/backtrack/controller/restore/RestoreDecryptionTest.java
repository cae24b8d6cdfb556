package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.drill.RestoreDrill;
import io.backtrack.api.encryption.AgeEncryption;
import io.backtrack.api.encryption.DecryptionSpec;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.encryption.IdentitySecret;
import io.backtrack.api.encryption.RecipientsSecret;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.controller.TestAgentConfig;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.drill.ServerIdentity;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
 * Restores of encrypted backups: refused before any Job without an identity, the identity only ever a secretKeyRef
 * of the Jobs that read the archive, and the safety backup encrypted as its location's backups are.
 */
@EnableKubernetesMockClient(crud = true)
class RestoreDecryptionTest {
    private static final Instant NOW = Instant.parse("2026-11-22T03:15:00Z");
    private static final String FOLDER = "prod/shop/orders-nightly";
    private static final String RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    private static final EncryptionSpec ENCRYPTION = new EncryptionSpec(new AgeEncryption(
            new RecipientsSecret("team-keys", null)));
    private static final DecryptionSpec DECRYPTION = new DecryptionSpec(new IdentitySecret("restore-key", "key.txt"));

    KubernetesClient client;
    private TestCluster cluster;
    private RestoreReconciler reconciler;

    @BeforeEach
    void operator() {
        cluster = new TestCluster(client, NOW).withSecrets();
        reconciler = new RestoreReconciler(client, cluster.events, TestConfig.INSTANCE, cluster.clock, cluster.metrics,
                cluster.gate);
        reconciler.podsFrom(cluster.pendingPods());
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName("orders-nightly").withNamespace(TestCluster.NS)
                .withUid("backup-uid").withGeneration(1L).withFinalizers(BacktrackApi.BACKUP_FINALIZER).build());
        b.setSpec(new BackupSpec(null, new DatabaseSpec(null, "orders-db.shop.svc", null, "orders",
                new DatabaseCredentials(TestCluster.DB_SECRET, null, null)),
                new StorageSpec(new S3Storage("http://minio.storage.svc:9000", "db-backups", null, "prod", true,
                        new S3Credentials(TestCluster.S3_SECRET, null, null), null, null)), null,
                null, null, DeletionPolicy.Retain, null, null, null, ENCRYPTION));
        b.setStatus(new BackupStatus(BackupPhase.Completed, "done", NOW.toString(), NOW.toString(), 1.0, "job",
                new ArchiveStatus("db-backups", FOLDER, FOLDER + "/archive.pgdump.zst.age", FOLDER + "/manifest.json",
                        4000L, "3.9 KiB", "9f86d081884c", "9f86d081884c", "zstd", "custom", "age",
                        List.of(RECIPIENT)),
                null, null, null, 1L, null));
        cluster.create(b);
    }

    private static Restore restore(String name, DecryptionSpec decryption, RestoreDrill drill, RestoreTarget target) {
        Restore r = new Restore();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(TestCluster.NS).withUid("uid-" + name)
                .withGeneration(1L).withFinalizers(BacktrackApi.RESTORE_FINALIZER).build());
        r.setSpec(new RestoreSpec("orders-nightly", null, target, drill == null ? RestoreStrategy.swap : null, null,
                null, null, null, null, null, null, null, drill, decryption));
        return r;
    }

    private Restore reconcile(Restore restore) {
        UpdateControl<Restore> control = reconciler.reconcile(restore, new TestContext<>(client, restore));
        return control.isPatchStatus() ? cluster.writeStatus(control.getResource().orElseThrow()) : cluster.reread(restore);
    }

    private RestorePlan plan(Restore restore) {
        RestorePlans.Resolution resolution = new RestorePlans(client, new ServerIdentity(ServerIdentity.DNS))
                .resolve(restore);
        assertThat(resolution.problem()).isNull();
        return resolution.plan();
    }

    private static Optional<EnvVar> identityEnv(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(AgentEnv.AGE_IDENTITY)).findFirst();
    }

    @Test
    void anEncryptedBackupWithoutDecryptionIsRefusedBeforeAnyJobNamingItsRecipients() {
        Restore refused = reconcile(cluster.create(restore("no-key", null, null, null)));

        assertThat(refused.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        Condition ready = Conditions.find(refused.getStatus().conditions(), ConditionType.Ready);
        assertThat(ready.getReason()).isEqualTo("DecryptionFailed");
        assertThat(ready.getMessage()).contains(RECIPIENT, "spec.decryption.identitySecret", "nothing was touched");
        assertThat(cluster.events.withReason("DecryptionFailed")).hasSize(1);
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();
    }

    @Test
    void parallelJobsForAnEncryptedBackupAreRefusedBeforeAnyJob() {
        Restore spec = restore("parallel", DECRYPTION, null, null);
        RestoreSpec s = spec.getSpec();
        spec.setSpec(new RestoreSpec(s.backupName(), null, null, s.strategy(), null, null, null, null, null, null, null,
                null, null, s.decryption(), 2));
        Restore refused = reconcile(cluster.create(spec));

        assertThat(refused.getStatus().phase()).isEqualTo(RestorePhase.Failed);
        Condition ready = Conditions.find(refused.getStatus().conditions(), ConditionType.Ready);
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("encrypted", "parallelJobs", "decrypted dump", "nothing was touched");
        assertThat(cluster.events.withReason("InvalidSpec")).hasSize(1);
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();
    }

    @Test
    void theIdentitySecretIsCheckedAndGoesToEveryJobThatReadsTheArchiveAsASecretRef() {
        Restore waiting = reconcile(cluster.create(restore("with-key", DECRYPTION, null, null)));
        Condition ready = Conditions.find(waiting.getStatus().conditions(), ConditionType.Ready);
        assertThat(ready.getReason()).isEqualTo("SecretNotFound");
        assertThat(ready.getMessage()).contains("Secret shop/restore-key (age identity) does not exist");
        assertThat(client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems()).isEmpty();

        cluster.secret("restore-key", "key.txt");
        Restore checking = reconcile(waiting);
        Job check = client.batch().v1().jobs().inNamespace(TestCluster.NS)
                .withName(RestoreJobs.name(checking, RestoreStep.CHECK)).get();
        EnvVar env = identityEnv(check).orElseThrow();
        assertThat(env.getValue()).as("never the key itself").isNull();
        assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("restore-key");
        assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("key.txt");

        RestoreJobs jobs = new RestoreJobs(TestAgentConfig.INSTANCE);
        RestorePlan plan = plan(checking);
        assertThat(identityEnv(jobs.build(checking, plan, RestoreStep.RESTORE, NOW))).isPresent();
        assertThat(identityEnv(jobs.build(checking, plan, RestoreStep.COMPARE, NOW)))
                .as("compare reads the archive's table of contents too").isPresent();
        assertThat(check.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .noneMatch(e -> e.getName().equals(AgentEnv.AGE_RECIPIENTS));

        Restore drill = restore("drill", DECRYPTION, new RestoreDrill(null, null, null),
                new RestoreTarget("scratch-db.ops.svc", null, "orders_drill", new DatabaseCredentials("scratch", null, null)));
        assertThat(identityEnv(new DrillJobs(TestAgentConfig.INSTANCE).build(drill, plan(drill)))).isPresent();
    }

    @Test
    void theSafetyBackupIsEncryptedAsTheBackupsOfItsLocationAre() {
        Restore restore = restore("safe", DECRYPTION, null, null);
        RestorePlan plan = plan(restore);
        assertThat(plan.encryption()).isEqualTo(ENCRYPTION);
        assertThat(SafetyBackups.of(restore, plan).getSpec().encryption()).isEqualTo(ENCRYPTION);
    }
}
