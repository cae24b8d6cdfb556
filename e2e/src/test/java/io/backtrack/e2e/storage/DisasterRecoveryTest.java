package io.backtrack.e2e.storage;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupOrigin;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.encryption.AgeEncryption;
import io.backtrack.api.encryption.DecryptionSpec;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.encryption.IdentitySecret;
import io.backtrack.api.encryption.RecipientsSecret;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageSpec;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.api.storage.StorageSync;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.RestoreFactory;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.SampleData;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/runbooks/disaster-recovery.md, end to end: backups taken through the operator into a bucket; the cluster
 * state that knew them thrown away (their namespace deleted, which keeps archives by design, and the operator
 * restarted); a BackupStorage with sync in a fresh namespace lists the history as Discovered Backups, skipping and
 * counting a folder that is not a backup; a Restore of one of them brings the data back into a new database. The old
 * cluster's backups are encrypted with age, so the new cluster also gets the identity's Secret, and only its Restore.
 */
class DisasterRecoveryTest {
    static final String OLD_NS = "dr-old-cluster";
    static final String NEW_NS = "dr-new-cluster";
    static final String BUCKET = "dr-backups";
    static final String PREFIX = "prod";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static BackupStorage storage(BacktrackEnvironment env, String namespace, String name,
                                         EncryptionSpec encryption, StorageSync sync) {
        BackupStorage storage = new BackupStorage();
        storage.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        storage.setSpec(new BackupStorageSpec(new S3Storage(env.s3().endpoint(), BUCKET, null, PREFIX, true,
                new S3Credentials(BacktrackEnvironment.S3_SECRET, null, null), null, null), null, encryption, sync));
        return env.client().resource(storage).create();
    }

    private static Backup completedBackup(BacktrackEnvironment env, String db, String name, DeletionPolicy policy) {
        Backup backup = BackupFactory.of(env, db, BUCKET).withDeletionPolicy(policy).build(OLD_NS, name);
        BackupSpec s = backup.getSpec();
        backup.setSpec(new BackupSpec(s.description(), s.database(), null, new StorageRef("prod"), s.compression(),
                s.scope(), s.deletionPolicy(), s.ttl(), s.job(), s.roles()));
        env.client().resource(backup).create();
        Backup done = env.awaitBackup(OLD_NS, name, b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(done.getStatus().phase()).as("%s", done.getStatus()).isEqualTo(BackupPhase.Completed);
        return done;
    }

    @Test
    void aFreshClusterStateListsTheOldBackupsSkipsWhatIsNotOneAndRestoresFromThem() throws Exception {
        BacktrackEnvironment env = BacktrackEnvironment.shared();
        env.prepare(OLD_NS, BUCKET, null);
        Path dir = Files.createTempDirectory("dr-age");
        Path key = dir.resolve("key.txt");
        String recipient = run("age-keygen -o " + key + " 2>/dev/null && age-keygen -y " + key).strip();
        env.secret(OLD_NS, "team-recipients", Map.of("recipients", recipient + "\n"));
        String db = env.postgres().uniqueDatabaseName("dr_orders");
        env.postgres().createDatabase(db);
        SampleData.load(env.postgres(), db);
        DatabaseFingerprint atBackup = DatabaseFingerprint.of(env.postgres(), db);

        // The old cluster: its storage (encrypting), a Backup kept by default and one a schedule would make (Delete).
        storage(env, OLD_NS, "prod", new EncryptionSpec(new AgeEncryption(new RecipientsSecret("team-recipients", null))),
                null);
        Backup first = completedBackup(env, db, "orders-1", DeletionPolicy.Retain);
        Backup second = completedBackup(env, db, "orders-2", DeletionPolicy.Delete);
        // A backup that died before its manifest: an archive alone.
        env.s3().writeObject(BUCKET, PREFIX + "/" + OLD_NS + "/orders-killed/archive-20261122T020000Z-1a2b3c4d.pgdump.zst",
                new byte[] {1, 2, 3});

        // The disaster: the namespace and everything in it go, then the operator restarts with nothing in memory.
        env.client().namespaces().withName(OLD_NS).delete();
        env.await("namespace " + OLD_NS + " gone", () -> env.client().namespaces().withName(OLD_NS).get() == null,
                TIMEOUT);
        env.restartOperator(Map.of());
        assertThat(env.s3().listKeys(BUCKET, first.getStatus().archive().key() + "/"))
                .contains(first.getStatus().archive().archiveKey());
        assertThat(env.s3().listKeys(BUCKET, second.getStatus().archive().key() + "/"))
                .as("namespace teardown never deletes archives").contains(second.getStatus().archive().archiveKey());

        // The runbook: a namespace with the bucket's Secret, the BackupStorage with sync, wait for the history.
        env.namespace(NEW_NS);
        env.secret(NEW_NS, "restore-identity", Map.of("identity", Files.readString(key)));
        storage(env, NEW_NS, "old-prod", null, new StorageSync("1m"));
        BackupStorage synced = env.await(BackupStorage.class, NEW_NS, "old-prod", s -> s.getStatus() != null
                && s.getStatus().lastSyncTime() != null, TIMEOUT);
        assertThat(synced.getStatus().imported()).as("%s", synced.getStatus()).isEqualTo(2);
        assertThat(synced.getStatus().skippedCount()).isEqualTo(1);
        assertThat(synced.getStatus().skipped()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo(PREFIX + "/" + OLD_NS + "/orders-killed");
            assertThat(f.reason()).isEqualTo("NoManifest");
        });
        for (Backup original : List.of(first, second)) {
            Backup found = env.backup(NEW_NS, original.getMetadata().getName());
            assertThat(found).as(original.getMetadata().getName()).isNotNull();
            assertThat(found.getSpec().origin()).isEqualTo(BackupOrigin.Discovered);
            assertThat(found.getSpec().deletionPolicy()).isEqualTo(DeletionPolicy.Retain);
            assertThat(found.getStatus().phase()).isEqualTo(BackupPhase.Completed);
            assertThat(found.getStatus().archive().sha256()).isEqualTo(original.getStatus().archive().sha256());
            assertThat(found.getStatus().archive().archiveKey()).isEqualTo(original.getStatus().archive().archiveKey())
                    .endsWith(".age");
            assertThat(found.getStatus().archive().encryption()).isEqualTo("age");
            assertThat(found.getStatus().archive().recipients()).containsExactly(recipient);
            assertThat(found.getStatus().database().rows()).isEqualTo(original.getStatus().database().rows());
            assertThat(found.getMetadata().getLabels()).containsEntry(BacktrackApi.STORAGE_LABEL, "old-prod")
                    .containsEntry(BacktrackApi.ORIGINAL_NAMESPACE_LABEL, OLD_NS);
        }
        assertThat(env.eventReasons(NEW_NS, "old-prod", "Imported", "FoldersSkipped"))
                .contains("Imported", "FoldersSkipped");
        String listed = env.kubectl("get", "dbbackup", "-n", NEW_NS).ok().out();
        assertThat(listed).contains("orders-1", "orders-2", "Discovered").doesNotContain("<invalid>");
        assertThat(env.client().batch().v1().jobs().inNamespace(NEW_NS).list().getItems())
                .as("no backup Job for a discovered Backup")
                .noneMatch(j -> j.getMetadata().getLabels().containsKey(BacktrackApi.BACKUP_LABEL));

        String recovered = env.postgres().uniqueDatabaseName("dr_orders_recovered");
        Restore restore = RestoreFactory.ofBackup("orders-1").strategy(RestoreStrategy.newDatabase)
                .target(env, recovered, BacktrackEnvironment.DB_SECRET).build(NEW_NS, "recover-orders");
        RestoreSpec plain = restore.getSpec();
        restore.setSpec(new RestoreSpec(plain.backupName(), plain.source(), plain.target(), plain.strategy(),
                plain.scope(), plain.safetyBackup(), plain.verify(), plain.quiesce(), plain.job(), plain.lockTimeout(),
                plain.roles(), plain.noOwner(), plain.drill(),
                new DecryptionSpec(new IdentitySecret("restore-identity", null))));
        env.client().resource(restore).create();
        Restore done = env.awaitRestore(NEW_NS, "recover-orders", r -> r.getStatus() != null
                && r.getStatus().phase() != null && r.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(done.getStatus().phase()).as("%s", done.getStatus()).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), recovered)).isEqualTo(atBackup);

        // Another search (a changed spec probes at once) finds the folders known now: nothing imported twice.
        BackupStorage edited = env.edit(BackupStorage.class, NEW_NS, "old-prod", s -> {
            s.setSpec(new BackupStorageSpec(s.getSpec().s3(), "2h", s.getSpec().encryption(), s.getSpec().sync()));
            return s;
        });
        BackupStorage again = env.await(BackupStorage.class, NEW_NS, "old-prod", s -> s.getStatus() != null
                && Long.valueOf(edited.getMetadata().getGeneration()).equals(s.getStatus().observedGeneration())
                && !synced.getStatus().lastSyncTime().equals(s.getStatus().lastSyncTime()), TIMEOUT);
        assertThat(again.getStatus().imported()).isZero();
        assertThat(env.client().resources(Backup.class).inNamespace(NEW_NS).list().getItems()).hasSize(2);
        io.backtrack.e2e.postgres.PostgresServer.deleteRecursively(dir);
    }

    private static String run(String command) throws Exception {
        Process p = new ProcessBuilder(List.of("bash", "-c", command)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command).isZero();
        return out;
    }
}
