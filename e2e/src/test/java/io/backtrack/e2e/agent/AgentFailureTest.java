package io.backtrack.e2e.agent;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.backtrack.e2e.agent.AgentFixture.replace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input and broken archives: each gets its reason, a message a person can act on, exit 1, and no damage:
 * nothing left under the backup folder, no incomplete multipart upload, no half-restored database.
 */
class AgentFailureTest {
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    private static AgentProcess.Outcome expectFailure(AgentProcess.Outcome out, String reason, String folder) {
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
        assertThat(out.result()).as(out.stdout()).isNotNull();
        assertThat(out.result().get("ok").asBoolean()).isFalse();
        assertThat(out.reason()).as(out.message()).isEqualTo(reason);
        assertThat(out.stdout().strip().lines()).hasSize(1);
        assertThat(out.stderr()).doesNotContain(fx.pg.password()).doesNotContain(fx.s3.secretKey());
        if (folder != null) {
            assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/")).as("objects left behind").isEmpty();
            assertThat(fx.s3.incompleteUploads(AgentFixture.BUCKET, folder + "/")).as("incomplete uploads").isEmpty();
        }
        return out;
    }

    @Test
    void wrongPassword() {
        String folder = AgentFixture.folder("wrong-pw");
        var out = expectFailure(fx.agent(fx.backupArgs(folder), Map.of("PGPASSWORD", "nope")),
                "DatabaseAuthFailed", folder);
        assertThat(out.message()).contains("password authentication failed for user \"postgres\"")
                .contains("127.0.0.1:" + fx.pg.port());
    }

    @Test
    void missingDatabase() {
        String folder = AgentFixture.folder("no-db");
        List<String> args = replace(fx.backupArgs(folder), "--dbname", "orders");
        var out = expectFailure(fx.agent(args), "DatabaseNotFound", folder);
        assertThat(out.message()).contains("database \"orders\" does not exist on 127.0.0.1:" + fx.pg.port());
    }

    @Test
    void unreachableDatabase() throws Exception {
        String folder = AgentFixture.folder("closed-port");
        List<String> args = replace(fx.backupArgs(folder), "--port", String.valueOf(closedPort()));
        var out = expectFailure(fx.agent(args), "DatabaseUnreachable", folder);
        assertThat(out.message()).startsWith("cannot connect to 127.0.0.1:").contains("Connection refused");
    }

    @Test
    void unreachableStorage() throws Exception {
        String folder = AgentFixture.folder("no-s3");
        String endpoint = "http://127.0.0.1:" + closedPort();
        List<String> args = replace(fx.backupArgs(folder), "--endpoint", endpoint);
        var out = expectFailure(fx.agent(args), "StorageUnreachable", folder);
        assertThat(out.message()).contains(endpoint);
    }

    @Test
    void missingBucket() {
        List<String> args = replace(fx.backupArgs(AgentFixture.folder("no-bucket")), "--bucket", "db-backups");
        var out = expectFailure(fx.agent(args), "BucketNotFound", null);
        assertThat(out.message()).isEqualTo("bucket db-backups does not exist at " + fx.s3.endpoint()
                + "; create it or fix storage.s3.bucket");
    }

    @Test
    void wrongS3Secret() {
        String folder = AgentFixture.folder("bad-secret");
        var out = expectFailure(fx.agent(fx.backupArgs(folder), Map.of("AWS_SECRET_ACCESS_KEY", "wrong-secret")),
                "StorageAuthFailed", folder);
        assertThat(out.message()).contains(fx.s3.endpoint()).contains("credentials");
    }

    @Test
    void invalidCompressionLevel() {
        String folder = AgentFixture.folder("bad-level");
        var out = expectFailure(fx.agent(fx.backupArgs(folder, "--level", "23")), "InvalidArguments", folder);
        assertThat(out.message()).contains("--level 23").contains("1-22");
        expectFailure(fx.agent(fx.backupArgs(folder, "--compression", "gzip", "--level", "10")),
                "InvalidArguments", folder);
        expectFailure(fx.agent(fx.backupArgs(folder, "--compression", "none", "--level", "1")),
                "InvalidArguments", folder);
        expectFailure(fx.agent(fx.backupArgs(folder, "--compression", "lz4")), "InvalidArguments", folder);
    }

    @Test
    void unknownTable() {
        String folder = AgentFixture.folder("no-table");
        var out = expectFailure(fx.agent(fx.backupArgs(folder, "--table", "public.nope")), "InvalidArguments", folder);
        assertThat(out.message()).contains("public.nope");
    }

    @Test
    void missingPgDump(@TempDir Path emptyRoot) {
        String folder = AgentFixture.folder("no-tools");
        var out = expectFailure(fx.agent(fx.backupArgs(folder), Map.of("BACKTRACK_PG_BIN_ROOT", emptyRoot.toString())),
                "ToolMissing", folder);
        assertThat(out.message()).isEqualTo("no pg_dump for PostgreSQL " + fx.pg.major() + " under " + emptyRoot
                + " (found: none); the agent image must carry client tools >= the server's major version");
        // The flag wins over the environment.
        List<String> args = new ArrayList<>(List.of("--pg-bin-root", emptyRoot.toString()));
        args.addAll(fx.backupArgs(folder));
        expectFailure(fx.agent(args), "ToolMissing", folder);
    }

    @Test
    void dumpFailingMidwayLeavesNothing() {
        // A role that may connect but not read billing.invoices: counting/dumping fails after the upload started.
        fx.pg.execute(AgentFixture.SOURCE_DB,
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'limited') THEN "
                        + "CREATE ROLE limited LOGIN PASSWORD 'limited-pw'; END IF; END $$",
                "GRANT USAGE ON SCHEMA billing TO limited",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO limited");
        String folder = AgentFixture.folder("denied");
        List<String> args = replace(fx.backupArgs(folder), "--username", "limited");
        var out = expectFailure(fx.agent(args, Map.of("PGPASSWORD", "limited-pw")), "DumpFailed", folder);
        assertThat(out.message()).contains("invoices").contains("permission denied");
    }

    @Test
    void termiationLogGetsTheFailureLine(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("termination-log");
        var out = expectFailure(fx.agent(fx.backupArgs(AgentFixture.folder("tl"), "--level", "99"),
                Map.of("BACKTRACK_TERMINATION_LOG", log.toString())), "InvalidArguments", null);
        assertThat(Files.readString(log).strip()).isEqualTo(out.stdout().strip());
    }

    @Test
    void usageErrorExitsTwo() {
        var out = fx.agent(List.of("backup", "--host", "x"));
        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.reason()).isEqualTo("InvalidArguments");
    }

    @Test
    void verifyAndRestoreRefuseACorruptArchive() {
        String folder = fx.backup("corrupt");
        String archiveKey = fx.archiveKey(folder);
        fx.s3.corruptOneByte(AgentFixture.BUCKET, archiveKey);

        var verify = expectFailure(fx.agent(fx.storageCommand("verify", "--key", folder)), "ArchiveCorrupt", null);
        assertThat(verify.message()).contains(archiveKey).contains("SHA-256");

        String newDb = fx.pg.uniqueDatabaseName("corrupt");
        var restore = expectFailure(fx.agent(fx.restoreArgs(folder, newDb)), "ArchiveCorrupt", null);
        assertThat(restore.message()).contains("SHA-256");
        assertThat(fx.pg.databaseExists(newDb)).as("database of a refused restore").isFalse();
    }

    @Test
    void restoreRefusesAnExistingDatabase() {
        String folder = fx.backup("exists");
        var out = expectFailure(fx.agent(fx.restoreArgs(folder, AgentFixture.SOURCE_DB)), "DatabaseExists", null);
        assertThat(out.message()).contains("database \"shop\" already exists");
        assertThat(io.backtrack.e2e.postgres.DatabaseFingerprint.of(fx.pg, AgentFixture.SOURCE_DB))
                .isEqualTo(fx.sourceFingerprint);
    }

    @Test
    void restoreOfAFolderWithoutManifest() {
        String folder = AgentFixture.folder("incomplete");
        fx.s3.writeObject(AgentFixture.BUCKET, folder + "/archive.pgdump.zst", new byte[] {1, 2, 3});
        String newDb = fx.pg.uniqueDatabaseName("nomanifest");
        var out = expectFailure(fx.agent(fx.restoreArgs(folder, newDb)), "ArchiveNotFound", null);
        assertThat(out.message()).isEqualTo("no manifest.json under " + folder + " in bucket " + AgentFixture.BUCKET
                + ": not a completed backup");
        assertThat(fx.pg.databaseExists(newDb)).isFalse();
    }

    @Test
    void restoreWithWrongPasswordCreatesNothing() {
        restoreWithWrongPasswordFails(fx.backup("restore-auth"), "DatabaseAuthFailed");
    }

    @Test
    void restoreReportsTheStorageProblemBeforeTheDatabaseOne() {
        // The database connection is opened beside the storage checks: the storage problem still comes first.
        restoreWithWrongPasswordFails(AgentFixture.folder("no-such-backup"), "ArchiveNotFound");
    }

    private static void restoreWithWrongPasswordFails(String folder, String reason) {
        String newDb = fx.pg.uniqueDatabaseName("auth");
        expectFailure(fx.agent(fx.restoreArgs(folder, newDb), Map.of("PGPASSWORD", "nope")), reason, null);
        assertThat(fx.pg.databaseExists(newDb)).isFalse();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
