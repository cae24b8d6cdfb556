package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.PostgresServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The newer PostgreSQL majors the agent image ships tools for, each with its own server, pg_dump and pg_restore
 * (archive formats 1.15 and 1.16, which Debian 12's PostgreSQL 15 never writes): the stream's row counts against
 * count(*) for every awkward table, and a backup and restore through the agent with the manifest's counts checked.
 * The builds come from e2e/postgres-versions.sh (PyPI), which .ci/run runs; this test runs it too when they are
 * missing, and fails, never skips, when it cannot.
 */
class AgentPostgresVersionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("backtrack.postgresVersions",
            "/var/cache/backtrack/postgresql"));

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {16, 17, 18})
    void streamCountsBackupAndRestoreWithTheServersOwnTools(int major) throws Exception {
        install(major);
        AgentFixture fx = AgentFixture.get();
        try (PostgresServer pg = PostgresServer.start(ROOT, major)) {
            assertThat(pg.query("postgres", "SHOW server_version_num").get(0)).startsWith(String.valueOf(major));
            String db = "awkward";
            pg.createDatabase(db);
            AwkwardTables.load(pg, db);

            AgentStreamRowCountsTest.streamCountsMatchCountStar(pg, db);

            DatabaseFingerprint source = DatabaseFingerprint.of(pg, db);
            String folder = AgentFixture.folder("pg" + major);
            AgentProcess.Outcome backup = fx.agent(args("backup", pg, db, fx, "--key", folder));
            assertThat(backup.exitCode()).as(backup.stderr()).isZero();
            assertThat(backup.result().get("toolVersion").asText()).contains("pg_dump (PostgreSQL) " + major);
            // Every table counted from the stream, only the materialized view with SQL.
            assertThat(backup.stderr()).contains("event=backup.counted fromStream=" + AwkwardTables.TABLES + " withSql=1");
            JsonNode manifest = JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
            for (JsonNode t : manifest.get("tables")) {
                String quoted = PostgresServer.quote(t.get("schema").asText()) + "."
                        + PostgresServer.quote(t.get("name").asText());
                assertThat(t.get("rows").asLong()).as(quoted)
                        .isEqualTo(Long.parseLong(pg.query(db, "SELECT count(*) FROM ONLY " + quoted).get(0)));
            }

            String restored = "restored";
            AgentProcess.Outcome restore = fx.agent(args("restore", pg, restored, fx, "--key", folder,
                    "--strategy", "newDatabase"));
            assertThat(restore.exitCode()).as(restore.stderr()).isZero();
            assertThat(restore.result().get("toolVersion").asText()).contains("pg_restore (PostgreSQL) " + major);
            assertThat(DatabaseFingerprint.of(pg, restored)).isEqualTo(source);

            // In place, in one transaction whose counts are compared before COMMIT (the view recomputed there too).
            AgentProcess.Outcome inPlace = fx.agent(args("restore", pg, restored, fx, "--key", folder,
                    "--strategy", "inPlace"));
            assertThat(inPlace.exitCode()).as(inPlace.stderr()).isZero();
            assertThat(DatabaseFingerprint.of(pg, restored)).isEqualTo(source);
        }
    }

    private static List<String> args(String command, PostgresServer pg, String db, AgentFixture fx, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--host", pg.host(), "--port", String.valueOf(pg.port()),
                "--dbname", db, "--username", pg.superuser(), "--pg-bin-root", ROOT.toString()));
        args.addAll(fx.storageArgs());
        args.addAll(List.of(extra));
        return args;
    }

    /** Runs e2e/postgres-versions.sh when the major's build is missing; fails the test if it stays missing. */
    private static synchronized void install(int major) throws Exception {
        Path bin = ROOT.resolve(String.valueOf(major)).resolve("bin");
        if (!Files.isExecutable(bin.resolve("initdb"))) {
            Path script = Path.of(System.getProperty("backtrack.root", "..")).resolve("e2e/postgres-versions.sh");
            Process p = new ProcessBuilder("bash", script.toString(), ROOT.toString()).inheritIO().start();
            assertThat(p.waitFor()).as("e2e/postgres-versions.sh (PostgreSQL builds from PyPI)").isZero();
        }
        assertThat(bin.resolve("pg_dump")).as("PostgreSQL %d from e2e/postgres-versions.sh", major).isExecutable();
    }
}
