package io.backtrack.e2e.storage;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageSpec;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A BackupStorage against the real operator, agent, PostgreSQL and S3: its probe Job makes it Available (or says why
 * not), and a Backup that names it is written where it says and counted by its next probe.
 */
class BackupStorageTest {
    static final String NS = "dbstorage";
    static final String DB = "shop";
    static final String BUCKET = "dbstorage";
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    static BacktrackEnvironment env;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, DB);
    }

    private static BackupStorage storage(String name, String bucket, String prefix, String probeInterval) {
        BackupStorage storage = new BackupStorage();
        storage.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        storage.setSpec(new BackupStorageSpec(new S3Storage(env.s3().endpoint(), bucket, null, prefix, true,
                new S3Credentials(BacktrackEnvironment.S3_SECRET, null, null), null, null), probeInterval));
        return env.client().resource(storage).create();
    }

    private static Condition available(BackupStorage storage) {
        return storage.getStatus() == null || storage.getStatus().conditions() == null ? null
                : storage.getStatus().conditions().stream().filter(c -> c.getType().equals("Available")).findFirst()
                .orElse(null);
    }

    private static BackupStorage awaitProbed(String name, long generation) {
        return env.await(BackupStorage.class, NS, name, s -> s.getStatus() != null
                && Long.valueOf(generation).equals(s.getStatus().observedGeneration()) && available(s) != null
                && !"Probing".equals(available(s).getReason()), TIMEOUT);
    }

    @Test
    void aBackupNamingTheStorageIsWrittenUnderItsPrefixAndCountedByTheNextProbe() {
        BackupStorage created = storage("team", BUCKET, "team", null);
        BackupStorage empty = awaitProbed("team", created.getMetadata().getGeneration());
        assertThat(available(empty).getStatus()).as(String.valueOf(empty.getStatus())).isEqualTo("True");
        assertThat(empty.getStatus().backups()).isZero();
        assertThat(env.eventReasons(NS, "team", "Available")).contains("Available");

        Backup inline = BackupFactory.of(env, DB, BUCKET).build(NS, "by-ref");
        BackupSpec s = inline.getSpec();
        inline.setSpec(new BackupSpec(s.description(), s.database(), null, new StorageRef("team"), s.compression(),
                s.scope(), s.deletionPolicy(), s.ttl(), s.job(), s.roles()));
        env.client().resource(inline).create();
        Backup done = env.awaitBackup(NS, "by-ref", b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(done.getStatus().phase()).as(String.valueOf(done.getStatus())).isEqualTo(BackupPhase.Completed);
        assertThat(done.getStatus().archive().bucket()).isEqualTo(BUCKET);
        assertThat(done.getStatus().archive().key()).isEqualTo("team/" + NS + "/by-ref");
        assertThat(env.s3().sha256Of(BUCKET, done.getStatus().archive().archiveKey()))
                .isEqualTo(done.getStatus().archive().sha256());

        BackupStorage edited = env.edit(BackupStorage.class, NS, "team", st -> {
            st.setSpec(new BackupStorageSpec(st.getSpec().s3(), "2h"));
            return st;
        });
        BackupStorage counted = awaitProbed("team", edited.getMetadata().getGeneration());
        // Everything in the backup's folder: archive, roles file, manifest.
        long stored = env.s3().listKeys(BUCKET, done.getStatus().archive().key() + "/").stream()
                .mapToLong(k -> env.s3().readObject(BUCKET, k).length).sum();
        assertThat(counted.getStatus().backups()).isEqualTo(1);
        assertThat(counted.getStatus().bytes()).isEqualTo(stored);
        assertThat(env.s3().listKeys(BUCKET, "team/")).noneMatch(k -> k.contains(".backtrack-probe-"));
        // Another probe may already be under way (a Backup writing under the prefix is a reason to look again); each
        // probe's Job goes once its result is recorded.
        env.await("the probe Jobs of team gone once their results are recorded", () -> env.client().batch().v1().jobs()
                .inNamespace(NS).withLabel("backtrack.io/storage", "team").list().getItems().isEmpty(), TIMEOUT);
    }

    @Test
    void aBucketThatDoesNotExistIsNotAvailableAndSaysSo() {
        BackupStorage created = storage("nowhere", "no-such-bucket", null, null);

        BackupStorage probed = awaitProbed("nowhere", created.getMetadata().getGeneration());

        assertThat(available(probed).getStatus()).isEqualTo("False");
        assertThat(available(probed).getReason()).isEqualTo("BucketNotFound");
        assertThat(available(probed).getMessage()).contains("no-such-bucket");
        assertThat(env.eventReasons(NS, "nowhere", "BucketNotFound")).contains("BucketNotFound");
    }
}
