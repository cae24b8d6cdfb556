package io.backtrack.e2e.agent;

import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.s3.S3Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.backtrack.e2e.agent.AgentFixture.replace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An object store that answers slowly, 503s, or stops answering (SIGSTOP, the way a hung or partitioned server
 * looks): single failures are retried (a part re-sent from its buffer, a download resumed where it stopped), and a
 * store that does not answer fails the backup, verify or restore within {@code --storage-timeout}, with reason
 * StorageUnreachable and a message saying what timed out.
 */
class AgentStorageFaultsTest {
    private static final int TIMEOUT_SECONDS = 10;
    /** JVM start and exit around the bounded wait; the wait itself never exceeds the timeout. */
    private static final double SLACK_SECONDS = 4;
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    @Test
    void aStoreThatAnswers503OncePerPartStillGetsTheWholeArchive() {
        String folder = AgentFixture.folder("slowdown");
        try (FaultyS3Proxy proxy = FaultyS3Proxy.start(fx.s3.port(), FaultyS3Proxy.slowDownOncePerPart())) {
            AgentProcess.Outcome out = fx.agent(replace(fx.bigBackupArgs(folder), "--endpoint", proxy.endpoint()));
            assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
            int parts = (int) Math.ceil(out.result().get("sizeBytes").asLong() / (8.0 * 1024 * 1024));
            assertThat(parts).isGreaterThanOrEqualTo(4);
            assertThat(proxy.faults()).as(String.join("\n", proxy.log())).isEqualTo(parts);
            assertThat(out.stderr()).contains("storage.retry").contains("SlowDown");
            String archiveKey = out.result().get("archiveKey").asText();
            assertThat(fx.s3.sha256Of(AgentFixture.BUCKET, archiveKey)).isEqualTo(out.result().get("sha256").asText());
        }
        AgentProcess.Outcome verify = fx.agent(fx.storageCommand("verify", "--key", folder));
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    }

    @Test
    void aStoppedStoreFailsTheBackupWithinTheTimeout() throws Exception {
        try (S3Server s3 = S3Server.start()) {
            s3.createBucket(AgentFixture.BUCKET);
            String folder = AgentFixture.folder("stopped");
            List<String> args = replace(fx.backupArgs(folder, "--storage-timeout", TIMEOUT_SECONDS + "s"),
                    "--endpoint", s3.endpoint());
            signal(s3, "STOP");
            try {
                long start = System.nanoTime();
                AgentProcess.Outcome out = AgentProcess.run(args, fx.env(), 120);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("backup against a stopped store failed after %.1f s%n", seconds);
                expectUnreachable(out, seconds, s3.endpoint(), "checking bucket " + AgentFixture.BUCKET);
            } finally {
                signal(s3, "CONT");
            }
        }
    }

    @Test
    void aStoreStoppedMidUploadFailsTheBackupWithinTheTimeout(@TempDir Path tmp) throws Exception {
        try (S3Server s3 = S3Server.start()) {
            s3.createBucket(AgentFixture.BUCKET);
            String folder = AgentFixture.folder("stopped-mid-upload");
            List<String> args = new ArrayList<>(fx.bigBackupArgs(folder));
            args.addAll(List.of("--storage-timeout", TIMEOUT_SECONDS + "s"));
            Process agent = AgentProcess.start(replace(args, "--endpoint", s3.endpoint()), fx.env(), tmp);
            AgentFixture.awaitUpload(s3, folder, agent::isAlive);
            signal(s3, "STOP");
            try {
                long stopped = System.nanoTime();
                AgentProcess.Outcome out = AgentProcess.await(agent, tmp, 120);
                double seconds = (System.nanoTime() - stopped) / 1e9;
                System.out.printf("backup failed %.1f s after its store stopped mid-upload%n", seconds);
                expectUnreachable(out, seconds, s3.endpoint(), "did not answer in time while");
            } finally {
                signal(s3, "CONT");
            }
            // What the stopped store kept is an incomplete upload, which the next backup into the folder aborts.
            AgentProcess.Outcome next = fx.agent(replace(fx.backupArgs(folder), "--endpoint", s3.endpoint()));
            assertThat(next.exitCode()).as(next.stdout() + next.stderr()).isZero();
            assertThat(s3.incompleteUploads(AgentFixture.BUCKET, folder + "/")).isEmpty();
        }
    }

    @Test
    void aDownloadThatStallsOnceIsResumed() {
        String folder = fx.backup("resume");
        String archiveKey = fx.archiveKey(folder);
        AtomicBoolean stalled = new AtomicBoolean();
        try (FaultyS3Proxy proxy = FaultyS3Proxy.start(fx.s3.port(), r -> r.method().equals("GET")
                && r.target().contains(archiveKey) && stalled.compareAndSet(false, true)
                ? new FaultyS3Proxy.Forward(16 * 1024) : FaultyS3Proxy.Forward.ALL)) {
            List<String> verify = replace(fx.storageCommand("verify", "--key", folder), "--endpoint",
                    proxy.endpoint());
            AgentProcess.Outcome out = AgentProcess.run(verify, withTimeout(), 60);
            assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
            assertThat(out.result().get("sha256").asText()).isEqualTo(fx.s3.sha256Of(AgentFixture.BUCKET, archiveKey));
            assertThat(proxy.faults()).isEqualTo(1);
            assertThat(out.stderr()).contains("storage.resume").contains(archiveKey);

            String newDb = fx.pg.uniqueDatabaseName("resumed");
            stalled.set(false);
            AgentProcess.Outcome restore = AgentProcess.run(replace(fx.restoreArgs(folder, newDb), "--endpoint",
                    proxy.endpoint()), withTimeout(), 60);
            assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
            assertThat(proxy.faults()).isEqualTo(2);
            assertThat(DatabaseFingerprint.of(fx.pg, newDb)).isEqualTo(fx.sourceFingerprint);
            fx.pg.dropDatabase(newDb);
        }
    }

    @Test
    void verifyAndRestoreFromAStoreThatStopsMidDownloadFailWithinTheTimeout() {
        String folder = fx.backup("stall-read");
        String archiveKey = fx.archiveKey(folder);
        // The first 16 KiB of the archive come through, then nothing more: not that download, nor any resumed one.
        try (FaultyS3Proxy proxy = FaultyS3Proxy.start(fx.s3.port(), r -> !r.method().equals("GET")
                || !r.target().contains(archiveKey) ? FaultyS3Proxy.Forward.ALL
                : r.header("Range") == null ? new FaultyS3Proxy.Forward(16 * 1024) : new FaultyS3Proxy.Stall())) {
            long start = System.nanoTime();
            AgentProcess.Outcome verify = AgentProcess.run(replace(fx.storageCommand("verify", "--key", folder),
                    "--endpoint", proxy.endpoint()), withTimeout(), 120);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("verify against a store that stopped mid-download failed after %.1f s%n", seconds);
            expectUnreachable(verify, seconds, proxy.endpoint(), "resuming the download of " + archiveKey);

            String newDb = fx.pg.uniqueDatabaseName("stalled");
            start = System.nanoTime();
            AgentProcess.Outcome restore = AgentProcess.run(replace(fx.restoreArgs(folder, newDb), "--endpoint",
                    proxy.endpoint()), withTimeout(), 120);
            seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("restore against a store that stopped mid-download failed after %.1f s%n", seconds);
            assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isEqualTo(1);
            // the store stopped answering: that says nothing about the archive, so not ArchiveCorrupt either
            assertThat(restore.reason()).isEqualTo("StorageUnreachable");
            assertThat(restore.message()).contains("did not answer in time while resuming the download of "
                    + archiveKey);
            assertThat(seconds).isLessThan(TIMEOUT_SECONDS + SLACK_SECONDS);
            assertThat(fx.pg.databaseExists(newDb)).as("database of a failed restore").isFalse();
        }
    }

    /** The environment with the timeout set the other way, through BACKTRACK_STORAGE_TIMEOUT. */
    private static Map<String, String> withTimeout() {
        Map<String, String> env = fx.env();
        env.put("BACKTRACK_STORAGE_TIMEOUT", TIMEOUT_SECONDS + "s");
        return env;
    }

    private static void expectUnreachable(AgentProcess.Outcome out, double seconds, String endpoint, String what) {
        System.out.println("  " + out.message());
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
        assertThat(out.reason()).as(out.message()).isEqualTo("StorageUnreachable");
        assertThat(out.message()).contains(endpoint).contains(what).contains("--storage-timeout " + TIMEOUT_SECONDS
                + "s");
        assertThat(out.stderr()).doesNotContain(fx.s3.secretKey());
        assertThat(seconds).as("seconds to fail").isLessThan(TIMEOUT_SECONDS + SLACK_SECONDS);
    }

    /** Sends a signal to the S3Proxy process of {@code s3} (a child of this JVM). */
    private static void signal(S3Server s3, String signal) throws IOException, InterruptedException {
        String properties = s3.dataDirectory().getParent().resolve("s3proxy.properties").toString();
        long pid = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(properties)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no S3Proxy process for " + properties)).pid();
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
