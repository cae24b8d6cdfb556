package io.backtrack.e2e.agent;

import io.backtrack.contract.layout.BackupFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** list, delete and the rule that only folders with a manifest are backups. */
class AgentCatalogTest {
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    @Test
    void listShowsCompletedBackupsNewestFirstAndNeverAFolderWithoutManifest() {
        String prefix = AgentFixture.folder("catalog") + "/";
        String older = prefix + "older";
        String newer = prefix + "newer";
        fx.backupInto(older, "--description", "first one");
        fx.backupInto(newer, "--description", "second one");
        fx.s3.writeObject(AgentFixture.BUCKET, prefix + "incomplete/archive.pgdump.zst", new byte[] {1, 2, 3});

        var out = fx.agent(fx.storageCommand("list", "--prefix", prefix));
        assertThat(out.exitCode()).as(out.stderr()).isZero();
        List<String> lines = out.stdout().strip().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("COMPLETED");
        assertThat(lines.get(1)).contains(newer).contains("second one").contains("shop").contains("KiB");
        assertThat(lines.get(2)).contains(older).contains("first one");
        assertThat(out.stdout()).doesNotContain("incomplete");
        String sha = fx.s3.sha256Of(AgentFixture.BUCKET, fx.archiveKey(newer));
        assertThat(lines.get(1)).contains(sha.substring(0, 12)).doesNotContain(sha.substring(0, 13));
    }

    @Test
    void deleteRemovesManifestArchiveAndRolesFileAndIsIdempotent() {
        String folder = fx.backup("delete");
        long stored = fx.s3.listKeys(AgentFixture.BUCKET, folder + "/").stream()
                .mapToLong(k -> fx.s3.readObject(AgentFixture.BUCKET, k).length).sum();

        var out = fx.agent(fx.storageCommand("delete", "--key", folder));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(out.result().get("ok").asBoolean()).isTrue();
        assertThat(out.result().get("key").asText()).isEqualTo(folder);
        assertThat(out.result().get("deletedObjects").asInt()).isEqualTo(3);
        assertThat(out.result().get("freedBytes").asLong()).isEqualTo(stored);
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/")).isEmpty();

        var again = fx.agent(fx.storageCommand("delete", "--key", folder + "/"));
        assertThat(again.exitCode()).isZero();
        assertThat(again.result().get("deletedObjects").asInt()).isZero();
    }

    @Test
    void backupRefusesToOverwriteACompletedBackup() {
        String folder = fx.backup("twice");
        String archiveKey = fx.archiveKey(folder);
        String sha = fx.s3.sha256Of(AgentFixture.BUCKET, archiveKey);
        var out = fx.agent(fx.backupArgs(folder));
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.reason()).isEqualTo("InvalidArguments");
        assertThat(out.message()).contains("already holds a completed backup");
        assertThat(fx.s3.sha256Of(AgentFixture.BUCKET, archiveKey)).isEqualTo(sha);
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/"))
                .containsExactly(archiveKey, folder + "/manifest.json", new BackupFolder(folder).rolesKeyOf(archiveKey));
    }
}
