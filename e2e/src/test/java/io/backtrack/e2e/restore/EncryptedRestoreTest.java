package io.backtrack.e2e.restore;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.encryption.AgeEncryption;
import io.backtrack.api.encryption.DecryptionSpec;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.encryption.IdentitySecret;
import io.backtrack.api.encryption.RecipientsSecret;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageSpec;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageRef;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An encrypted backup and its restore through the operator on the real control plane: a BackupStorage asks for age
 * encryption, the Backup written there is ciphertext whose status names its recipient, a Restore without an
 * identity is refused before any Job, and one with the identity's Secret brings the data back (its safety backup
 * encrypted like the location's backups).
 */
class EncryptedRestoreTest {
    static final String NS = "encrypted";
    static final String BUCKET = "encrypted-backups";
    static final String DB = "orders_sealed";
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final byte[] AGE_HEADER = "age-encryption.org/v1\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void anEncryptedBackupRestoresOnlyWithTheIdentityFromTheRestoresOwnSecret() throws Exception {
        BacktrackEnvironment env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, null);
        env.postgres().createDatabase(DB);
        SampleData.load(env.postgres(), DB);
        DatabaseFingerprint atBackup = DatabaseFingerprint.of(env.postgres(), DB);

        Path dir = Files.createTempDirectory("age-e2e");
        Path key = dir.resolve("key.txt");
        String recipient = run("age-keygen -o " + key + " 2>/dev/null && age-keygen -y " + key).strip();
        env.secret(NS, "team-recipients", Map.of("recipients", "# restore drills and DR: ops team\n" + recipient + "\n"));
        env.secret(NS, "restore-identity", Map.of("identity", Files.readString(key)));

        BackupStorage vault = new BackupStorage();
        vault.setMetadata(new ObjectMetaBuilder().withName("vault").withNamespace(NS).build());
        vault.setSpec(new BackupStorageSpec(new S3Storage(env.s3().endpoint(), BUCKET, null, "sealed", true,
                new S3Credentials(BacktrackEnvironment.S3_SECRET, null, null), null, null), null,
                new EncryptionSpec(new AgeEncryption(new RecipientsSecret("team-recipients", null)))));
        env.client().resource(vault).create();

        Backup backup = BackupFactory.of(env, DB, BUCKET).build(NS, "sealed");
        BackupSpec s = backup.getSpec();
        backup.setSpec(new BackupSpec(s.description(), s.database(), null, new StorageRef("vault"), s.compression(),
                s.scope(), s.deletionPolicy(), s.ttl(), s.job(), s.roles(), null));
        env.client().resource(backup).create();
        Backup done = env.awaitBackup(NS, "sealed", b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(done.getStatus().phase()).as(String.valueOf(done.getStatus())).isEqualTo(BackupPhase.Completed);
        var archive = done.getStatus().archive();
        assertThat(archive.encryption()).isEqualTo("age");
        assertThat(archive.recipients()).containsExactly(recipient);
        assertThat(archive.archiveKey()).endsWith(".pgdump.zst.age");
        byte[] stored = env.s3().readObject(BUCKET, archive.archiveKey());
        assertThat(Arrays.equals(stored, 0, AGE_HEADER.length, AGE_HEADER, 0, AGE_HEADER.length)).isTrue();
        assertThat(env.s3().sha256Of(BUCKET, archive.archiveKey())).isEqualTo(archive.sha256());

        env.postgres().execute(DB, "DELETE FROM public.order_items WHERE order_id % 3 = 0",
                "UPDATE public.customers SET name = 'changed' WHERE id = 1");
        DatabaseFingerprint changed = DatabaseFingerprint.of(env.postgres(), DB);

        Restore withoutKey = env.client().resource(RestoreFactory.ofBackup("sealed").build(NS, "no-key")).create();
        Restore refused = env.awaitRestore(NS, withoutKey.getMetadata().getName(), r -> r.getStatus() != null
                && r.getStatus().phase() == RestorePhase.Failed, TIMEOUT);
        assertThat(refused.getStatus().message()).contains(recipient, "spec.decryption.identitySecret");
        assertThat(env.eventReasons(NS, "no-key", "DecryptionFailed")).contains("DecryptionFailed");
        assertThat(env.client().batch().v1().jobs().inNamespace(NS).withLabel("backtrack.io/restore", "no-key").list()
                .getItems()).isEmpty();
        assertThat(DatabaseFingerprint.of(env.postgres(), DB)).isEqualTo(changed);

        Restore keyed = RestoreFactory.ofBackup("sealed").build(NS, "with-key");
        RestoreSpec r = keyed.getSpec();
        keyed.setSpec(new RestoreSpec(r.backupName(), r.source(), r.target(), r.strategy(), r.scope(),
                r.safetyBackup(), r.verify(), r.quiesce(), r.job(), r.lockTimeout(), r.roles(), r.noOwner(), r.drill(),
                new DecryptionSpec(new IdentitySecret("restore-identity", null))));
        env.client().resource(keyed).create();
        Restore restored = env.awaitRestore(NS, "with-key", x -> x.getStatus() != null && x.getStatus().phase() != null
                && x.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(restored.getStatus().phase()).as(String.valueOf(restored.getStatus()))
                .isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), DB)).isEqualTo(atBackup);
        Backup safety = env.backup(NS, restored.getStatus().safetyBackupName());
        assertThat(safety.getStatus().archive().encryption()).as("the safety backup is no less protected").isEqualTo("age");
        assertThat(safety.getStatus().archive().recipients()).containsExactly(recipient);
        io.backtrack.e2e.postgres.PostgresServer.deleteRecursively(dir);
    }

    private static String run(String command) throws Exception {
        Process p = new ProcessBuilder(List.of("bash", "-c", command)).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command).isZero();
        return out;
    }
}
