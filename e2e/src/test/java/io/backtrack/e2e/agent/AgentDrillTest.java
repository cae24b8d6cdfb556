package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code backtrack-agent drill}: restore into a scratch database, verify, check, drop — against real servers. */
class AgentDrillTest {
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    private static List<String> drill(String folder, String... extra) {
        List<String> args = new ArrayList<>(List.of("drill", "--host", fx.pg.host(), "--port",
                String.valueOf(fx.pg.port()), "--username", fx.pg.superuser()));
        args.addAll(fx.storageArgs());
        args.addAll(List.of("--key", folder));
        args.addAll(List.of(extra));
        return args;
    }

    private static List<String> scratchDatabases() {
        return fx.pg.query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE '"
                + AgentFixture.SOURCE_DB + "\\_drill\\_%' OR datname LIKE 'drill\\_%' ORDER BY 1");
    }

    @Test
    void aDrillRestoresVerifiesChecksMeasuresAndCleansUp() {
        String folder = fx.backup("drill");
        AgentProcess.Outcome out = fx.agent(drill(folder,
                "--check", "customers", "--sql", "SELECT count(*) FROM public.customers", "--expect", "> 0",
                "--check", "recent", "--sql", "SELECT max(placed_at) > '2025-01-01' FROM public.orders",
                "--expect", "t"));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        JsonNode r = out.result();
        assertThat(r.get("recoverySeconds").asDouble()).isPositive();
        assertThat(r.get("rowsRestored").asLong()).isEqualTo(fx.sourceFingerprint.totalRows());
        assertThat(r.get("mismatches")).isEmpty();
        assertThat(r.get("checks")).hasSize(2);
        assertThat(r.get("checks").get(0).get("ok").asBoolean()).isTrue();
        assertThat(r.get("checks").get(0).get("value").asText()).isEqualTo("1000");
        assertThat(r.get("scratchDatabase").asText()).startsWith(AgentFixture.SOURCE_DB + "_drill_");
        assertThat(r.get("scratchKept").asBoolean()).isFalse();
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    void aFailingCheckFailsTheDrillAndStillCleansUp() {
        String folder = fx.backup("drill-check");
        AgentProcess.Outcome out = fx.agent(drill(folder,
                "--check", "no-customers", "--sql", "SELECT count(*) FROM public.customers", "--expect", "0",
                "--check", "broken", "--sql", "SELECT * FROM nowhere", "--expect", "t"));
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.reason()).isEqualTo("VerificationFailed");
        assertThat(out.message()).contains("2 check(s) failed").contains("no-customers: expected 0, got 1000");
        assertThat(out.result().get("checks").get(1).get("error").asText()).contains("42P01");
        assertThat(out.result().get("recoverySeconds").asDouble()).isPositive();
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    void aCorruptArchiveFailsBeforeAnythingIsLeftAndTheLiveDatabaseIsNeverTheTarget() {
        String folder = fx.backup("drill-corrupt");
        AgentProcess.Outcome own = fx.agent(drill(folder, "--dbname", AgentFixture.SOURCE_DB));
        assertThat(own.reason()).isEqualTo("InvalidArguments");
        assertThat(own.message()).contains("never into \"" + AgentFixture.SOURCE_DB + "\"");

        fx.s3.corruptOneByte(AgentFixture.BUCKET, fx.archiveKey(folder));
        AgentProcess.Outcome out = fx.agent(drill(folder, "--dbname", "drill_corrupt"));
        assertThat(out.reason()).isEqualTo("ArchiveCorrupt");
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    void keepLeavesTheScratchDatabaseForInspection() {
        String folder = fx.backup("drill-keep");
        String scratch = "drill_keep_" + Long.toString(System.nanoTime(), 36);
        AgentProcess.Outcome out = fx.agent(drill(folder, "--dbname", scratch, "--keep"));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(out.result().get("scratchKept").asBoolean()).isTrue();
        assertThat(fx.pg.databaseExists(scratch)).isTrue();
        fx.pg.dropDatabase(scratch);
    }

    @Test
    void anExistingDatabaseNamedAsTheScratchIsRefusedAndNeverDropped() {
        String folder = fx.backup("drill-exists");
        String existing = "drill_exists_" + Long.toString(System.nanoTime(), 36);
        fx.pg.createDatabase(existing);
        try {
            AgentProcess.Outcome out = fx.agent(drill(folder, "--dbname", existing));
            assertThat(out.reason()).isEqualTo("DatabaseExists");
            assertThat(out.message()).contains("left alone");
            assertThat(fx.pg.databaseExists(existing)).isTrue();
        } finally {
            fx.pg.dropDatabase(existing);
        }
    }
}
