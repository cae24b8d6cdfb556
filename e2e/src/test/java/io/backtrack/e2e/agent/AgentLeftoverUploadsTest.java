package io.backtrack.e2e.agent;

import io.backtrack.contract.layout.BackupFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent killed mid-upload (SIGKILL: OOM, node loss) cannot abort its multipart upload. The next backup into
 * the same folder aborts it before it starts, so nothing stays billed in the bucket, whether that next backup
 * succeeds or fails.
 */
class AgentLeftoverUploadsTest {
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    @Test
    void theNextBackupIntoTheFolderAbortsTheKilledRunsUpload(@TempDir Path tmp) throws Exception {
        String folder = AgentFixture.folder("killed-9");
        killMidUpload(folder, tmp);

        AgentProcess.Outcome next = fx.agent(fx.backupArgs(folder));
        assertThat(next.exitCode()).as(next.stdout() + next.stderr()).isZero();
        assertThat(fx.s3.incompleteUploads(AgentFixture.BUCKET, folder + "/")).as("incomplete uploads").isEmpty();
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/"))
                .containsExactlyInAnyOrder(fx.archiveKey(folder), folder + "/manifest.json",
                        new BackupFolder(folder).rolesKeyOf(fx.archiveKey(folder)));
    }

    @Test
    void aNextBackupThatFailsStillAbortsTheKilledRunsUpload(@TempDir Path tmp) throws Exception {
        String folder = AgentFixture.folder("killed-9-then-fail");
        killMidUpload(folder, tmp);

        AgentProcess.Outcome next = fx.agent(fx.backupArgs(folder, "--table", "public.no_such_table"));
        assertThat(next.exitCode()).as(next.stdout() + next.stderr()).isEqualTo(1);
        assertThat(next.reason()).isEqualTo("InvalidArguments");
        assertThat(fx.s3.incompleteUploads(AgentFixture.BUCKET, folder + "/")).as("incomplete uploads").isEmpty();
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/")).isEmpty();
    }

    /** Starts a multipart backup into the folder and SIGKILLs the agent once its upload is under way. */
    private static void killMidUpload(String folder, Path tmp) throws Exception {
        Process agent = AgentProcess.start(fx.bigBackupArgs(folder), fx.env(), tmp);
        try {
            AgentFixture.awaitUpload(fx.s3, folder, agent::isAlive);
        } finally {
            agent.destroyForcibly(); // SIGKILL: no shutdown hook, no abort
            agent.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(fx.s3.incompleteUploads(AgentFixture.BUCKET, folder + "/"))
                .as("what a killed agent leaves behind").hasSize(1);
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/")).isEmpty();
    }
}
