package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.contract.layout.BackupFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two backups into one folder at the same time: exactly one succeeds, its manifest names an archive whose bytes
 * hash to the manifest's (and the winner's reported) SHA-256, the other fails with InvalidArguments, and the
 * folder holds nothing else: no second archive, no incomplete upload.
 */
class AgentConcurrentWritersTest {
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    /** Small archives (a single PUT each): both finish their archive, the manifest's conditional put decides. */
    @RepeatedTest(3)
    void twoBackupsStartedTogether() throws Exception {
        String folder = AgentFixture.folder("race");
        List<String> args = fx.backupArgs(folder);
        CompletableFuture<AgentProcess.Outcome> a = CompletableFuture.supplyAsync(() -> fx.agent(args));
        CompletableFuture<AgentProcess.Outcome> b = CompletableFuture.supplyAsync(() -> fx.agent(args));
        expectOneWinner(folder, a.get(180, TimeUnit.SECONDS), b.get(180, TimeUnit.SECONDS));
    }

    /** The second starts while the first is in the middle of its multipart upload. */
    @Test
    void aSecondBackupStartedDuringTheFirstsMultipartUpload() throws Exception {
        String folder = AgentFixture.folder("race-big");
        List<String> args = fx.bigBackupArgs(folder);
        CompletableFuture<AgentProcess.Outcome> first = CompletableFuture.supplyAsync(() -> fx.agent(args));
        AgentFixture.awaitUpload(fx.s3, folder, () -> !first.isDone());
        CompletableFuture<AgentProcess.Outcome> second = CompletableFuture.supplyAsync(() -> fx.agent(args));
        expectOneWinner(folder, first.get(180, TimeUnit.SECONDS), second.get(180, TimeUnit.SECONDS));
    }

    private static void expectOneWinner(String folder, AgentProcess.Outcome a, AgentProcess.Outcome b)
            throws Exception {
        assertThat(List.of(a.ok(), b.ok())).as(a.stdout() + "\n" + b.stdout()).containsOnlyOnce(true);
        AgentProcess.Outcome winner = a.ok() ? a : b;
        AgentProcess.Outcome loser = a.ok() ? b : a;

        assertThat(loser.exitCode()).as(loser.stdout() + loser.stderr()).isEqualTo(1);
        assertThat(loser.reason()).as(loser.message()).isEqualTo("InvalidArguments");
        // Which check stops the loser depends on timing: the folder check at its start if the winner's manifest
        // is already there, otherwise the manifest's conditional put at its end. Both name the folder.
        assertThat(loser.message()).contains(folder)
                .containsAnyOf("another backup", "already holds a completed backup");

        JsonNode manifest = new ObjectMapper().readTree(fx.s3.readObject(AgentFixture.BUCKET,
                folder + "/manifest.json"));
        String archiveKey = manifest.get("archiveKey").asText();
        String stored = fx.s3.sha256Of(AgentFixture.BUCKET, archiveKey);
        assertThat(manifest.get("sha256").asText()).isEqualTo(stored);
        assertThat(winner.result().get("sha256").asText()).isEqualTo(stored);
        assertThat(winner.result().get("archiveKey").asText()).isEqualTo(archiveKey);
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/"))
                .as("no orphaned archive or roles file").containsExactlyInAnyOrder(archiveKey, folder + "/manifest.json",
                        new BackupFolder(folder).rolesKeyOf(archiveKey));
        assertThat(fx.s3.incompleteUploads(AgentFixture.BUCKET, folder + "/")).as("incomplete uploads").isEmpty();
    }
}
