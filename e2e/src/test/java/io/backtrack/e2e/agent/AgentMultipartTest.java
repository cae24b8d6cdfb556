package io.backtrack.e2e.agent;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Archives larger than one 16 MiB part go through a multipart upload: a complete one verifies, and a dump
 * killed mid-stream leaves neither an object nor an incomplete upload behind.
 */
class AgentMultipartTest {
    private static final String BIG_DB = AgentFixture.BIG_DB;
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
        fx.ensureBigDatabase();
    }

    @Test
    void multipartArchiveCompletesAndVerifies() {
        String folder = AgentFixture.folder("big");
        AgentProcess.Outcome out = fx.agent(fx.bigBackupArgs(folder));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(out.result().get("sizeBytes").asLong()).isGreaterThan(32L * 1024 * 1024);
        assertThat(out.result().get("rows").asLong()).isEqualTo(320_000);
        assertThat(out.result().get("archiveKey").asText()).isEqualTo(fx.archiveKey(folder));
        assertThat(fx.s3.sha256Of(AgentFixture.BUCKET, fx.archiveKey(folder)))
                .isEqualTo(out.result().get("sha256").asText());
        AgentProcess.Outcome verify = fx.agent(fx.storageCommand("verify", "--key", folder));
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    }

    @Test
    void dumpKilledMidStreamLeavesNothing() throws Exception {
        String folder = AgentFixture.folder("killed");
        CompletableFuture<AgentProcess.Outcome> backup =
                CompletableFuture.supplyAsync(() -> fx.agent(fx.bigBackupArgs(folder)));
        boolean killed = false;
        boolean sawUpload = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = fx.pg.connect("postgres"); Statement st = c.createStatement()) {
            while (!backup.isDone() && System.nanoTime() < deadline && !killed) {
                sawUpload |= !fx.s3.incompleteUploads(AgentFixture.BUCKET, folder + "/").isEmpty();
                if (sawUpload) {
                    try (ResultSet rs = st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            + "WHERE datname = '" + BIG_DB + "' AND query LIKE 'COPY%' AND state = 'active'")) {
                        killed = rs.next();
                    }
                }
                Thread.sleep(20);
            }
        }
        AgentProcess.Outcome out = backup.get(120, TimeUnit.SECONDS);
        assertThat(sawUpload).as("a multipart upload was in progress").isTrue();
        assertThat(killed).as("pg_dump's COPY was terminated mid-stream").isTrue();
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
        assertThat(out.reason()).isEqualTo("DumpFailed");
        assertThat(out.message()).contains("pg_dump failed");
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/")).isEmpty();
        assertThat(fx.s3.incompleteUploads(AgentFixture.BUCKET, folder + "/")).isEmpty();
    }
}
