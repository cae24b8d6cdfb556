package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.e2e.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles a database needs, recorded by the backup and brought to a brand-new server by the restore: the disaster
 * recovery where none of the source server's roles exist. Each case restores into a fresh PostgreSQL of its own.
 */
class AgentRolesTest {
    private static final String DB = "roles_shop";
    /** A role name that would break a script written carelessly: a quote, a line break, a forged marker line. */
    private static final String ODD = "odd'role\n-- backtrack:role rt_app_owner";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AgentFixture fx;
    private static final List<PostgresServer> servers = new ArrayList<>();

    @BeforeAll
    static void database() {
        fx = AgentFixture.get();
        if (!fx.pg.databaseExists(DB)) {
            fx.pg.execute("postgres",
                    "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rt_app_owner') THEN "
                            + "CREATE ROLE rt_app_owner NOLOGIN; CREATE ROLE rt_readers NOLOGIN; "
                            + "CREATE ROLE rt_reporter LOGIN CONNECTION LIMIT 5 PASSWORD 'report-secret'; "
                            + "CREATE ROLE " + PostgresServer.quote(ODD) + " NOLOGIN; "
                            + "GRANT rt_readers TO rt_reporter; END IF; END$$");
            fx.pg.createDatabase(DB);
            fx.pg.execute(DB,
                    "CREATE SCHEMA app AUTHORIZATION rt_app_owner",
                    "CREATE TABLE app.orders (id serial PRIMARY KEY, item text NOT NULL)",
                    "INSERT INTO app.orders (item) SELECT 'item ' || i FROM generate_series(1, 250) i",
                    "ALTER TABLE app.orders OWNER TO rt_app_owner",
                    "GRANT USAGE ON SCHEMA app TO rt_readers, rt_reporter",
                    "GRANT SELECT ON app.orders TO rt_readers",
                    "GRANT SELECT (item) ON app.orders TO " + PostgresServer.quote(ODD));
        }
    }

    @AfterAll
    static void stopServers() {
        servers.forEach(PostgresServer::stop);
    }

    @Test
    void aBackupRecordsTheRolesItsDatabaseNeedsAndTheirFileRunsWithStockPsqlWithoutAlteringWhatExists() throws Exception {
        String folder = backup("roles-record");
        JsonNode manifest = manifest(folder);
        JsonNode roles = manifest.get("roles");
        assertThat(names(roles.get("roles"))).containsExactly(ODD, "rt_app_owner", "rt_readers", "rt_reporter");
        assertThat(use(roles, "rt_app_owner").get("owns").asBoolean()).isTrue();
        assertThat(use(roles, "rt_app_owner").get("granted").asBoolean()).isFalse();
        assertThat(use(roles, "rt_readers").get("granted").asBoolean()).isTrue();
        assertThat(roles.get("passwords").asBoolean()).isFalse();
        String script = new String(fx.s3.readObject(AgentFixture.BUCKET, roles.get("key").asText()), StandardCharsets.UTF_8);
        assertThat(fx.s3.sha256Of(AgentFixture.BUCKET, roles.get("key").asText())).isEqualTo(roles.get("sha256").asText());
        assertThat(script).doesNotContain("PASSWORD").doesNotContain("SCRAM");
        assertThat(manifest.toString()).doesNotContain("SCRAM");

        PostgresServer fresh = freshServer();
        Path file = Files.createTempFile("roles", ".sql");
        Files.writeString(file, script);
        psql(fresh, file);
        psql(fresh, file); // twice: every role exists now, nothing changes, nothing fails
        assertThat(fresh.query("postgres", "SELECT rolname || ' ' || rolcanlogin || ' ' || rolconnlimit FROM pg_roles "
                + "WHERE rolname LIKE 'rt\\_%' OR rolname LIKE 'odd%' ORDER BY 1"))
                .containsExactly(ODD + " false -1", "rt_app_owner false -1", "rt_readers false -1", "rt_reporter true 5");
        assertThat(fresh.query("postgres", "SELECT pg_has_role('rt_reporter', 'rt_readers', 'MEMBER')")).containsExactly("t");

        // On the source server it alters nothing: rt_reporter keeps its password and attributes.
        String before = fx.pg.query("postgres", "SELECT rolpassword || rolconnlimit FROM pg_authid WHERE rolname = 'rt_reporter'").get(0);
        psql(fx.pg, file);
        assertThat(fx.pg.query("postgres", "SELECT rolpassword || rolconnlimit FROM pg_authid WHERE rolname = 'rt_reporter'"))
                .containsExactly(before);
        Files.delete(file);
    }

    @Test
    void intoABrandNewServerARestoreRefusesMissingRolesTouchingNothingThenCreatesExactlyThemWhenAsked() {
        String folder = backup("roles-restore");
        PostgresServer fresh = freshServer();
        // One of the roles exists there already, with other attributes: it must stay exactly as it is.
        fresh.execute("postgres", "CREATE ROLE rt_reporter NOLOGIN CONNECTION LIMIT 1");

        AgentProcess.Outcome refused = fx.agent(restoreInto(fresh, folder, "restored"));
        assertThat(refused.reason()).as(refused.stdout() + refused.stderr()).isEqualTo("RolesMissing");
        assertThat(refused.message()).contains("rt_app_owner, rt_readers do not exist", "createMissing")
                .doesNotContain("rt_reporter");
        assertThat(fresh.databaseExists("restored")).isFalse();
        assertThat(roleNames(fresh)).containsExactly("rt_reporter");

        AgentProcess.Outcome done = fx.agent(restoreInto(fresh, folder, "restored", "--roles", "createMissing"));
        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        assertThat(names(done.result().get("rolesCreated"))).containsExactly(ODD, "rt_app_owner", "rt_readers");
        assertThat(roleNames(fresh)).containsExactly(ODD, "rt_app_owner", "rt_readers", "rt_reporter");
        assertThat(fresh.query("restored", "SELECT tableowner FROM pg_tables WHERE schemaname = 'app'")).containsExactly("rt_app_owner");
        assertThat(fresh.query("restored", "SELECT count(*) FROM app.orders")).containsExactly("250");
        assertThat(fresh.query("restored", "SELECT has_table_privilege('rt_readers', 'app.orders', 'SELECT')")).containsExactly("t");
        assertThat(fresh.query("restored", "SELECT has_column_privilege(" + literal(ODD) + ", 'app.orders', 'item', 'SELECT')"))
                .containsExactly("t");
        assertThat(fresh.query("postgres", "SELECT rolcanlogin || ' ' || rolconnlimit || ' ' || pg_has_role('rt_reporter', "
                + "'rt_readers', 'MEMBER') FROM pg_roles WHERE rolname = 'rt_reporter'"))
                .as("an existing role is never altered, not even given the backup's memberships").containsExactly("false 1 false");
    }

    @Test
    void withNoOwnerOnlyTheRolesTheGrantsNameAreNeeded() {
        String folder = backup("roles-noowner");
        PostgresServer fresh = freshServer();
        fresh.execute("postgres", "CREATE ROLE rt_readers NOLOGIN", "CREATE ROLE rt_reporter LOGIN",
                "CREATE ROLE " + PostgresServer.quote(ODD));
        AgentProcess.Outcome done = fx.agent(restoreInto(fresh, folder, "restored", "--no-owner"));
        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        assertThat(roleNames(fresh)).doesNotContain("rt_app_owner");
        assertThat(fresh.query("restored", "SELECT tableowner FROM pg_tables WHERE schemaname = 'app'"))
                .containsExactly(fx.pg.superuser());
        assertThat(fresh.query("restored", "SELECT count(*) FROM app.orders")).containsExactly("250");
    }

    @Test
    void aChangedRolesFileCreatesNoRoleAndTouchesNothing() {
        String folder = backup("roles-tampered");
        String key = manifest(folder).get("roles").get("key").asText();
        String script = new String(fx.s3.readObject(AgentFixture.BUCKET, key), StandardCharsets.UTF_8);
        fx.s3.writeObject(AgentFixture.BUCKET, key, script.replace("NOSUPERUSER", "SUPERUSER").getBytes(StandardCharsets.UTF_8));
        PostgresServer fresh = freshServer();
        AgentProcess.Outcome out = fx.agent(restoreInto(fresh, folder, "restored", "--roles", "createMissing"));
        assertThat(out.reason()).isEqualTo("ArchiveCorrupt");
        assertThat(out.message()).contains(key, "SHA-256");
        assertThat(roleNames(fresh)).isEmpty();
        assertThat(fresh.databaseExists("restored")).isFalse();
    }

    @Test
    void passwordsAreRecordedOnlyWhenAskedAndThenComeBackWithTheRole() {
        String folder = backup("roles-passwords", "--role-passwords");
        JsonNode roles = manifest(folder).get("roles");
        assertThat(roles.get("passwords").asBoolean()).isTrue();
        assertThat(manifest(folder).toString()).doesNotContain("SCRAM");
        PostgresServer fresh = freshServer();
        AgentProcess.Outcome done = fx.agent(restoreInto(fresh, folder, "restored", "--roles", "createMissing"));
        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        String hash = "SELECT rolpassword FROM pg_authid WHERE rolname = 'rt_reporter'";
        assertThat(fresh.query("postgres", hash)).isEqualTo(fx.pg.query("postgres", hash)).allMatch(h -> h.startsWith("SCRAM-SHA-256$"));
    }

    // --- helpers ---

    private static String backup(String name, String... extra) {
        List<String> args = new ArrayList<>(fx.backupArgs(AgentFixture.folder(name), extra));
        args.set(args.indexOf("--dbname") + 1, DB);
        AgentProcess.Outcome out = fx.agent(args);
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(out.result().get("roles").asInt()).isEqualTo(4);
        return args.get(args.indexOf("--key") + 1);
    }

    private static List<String> restoreInto(PostgresServer server, String folder, String db, String... extra) {
        List<String> args = new ArrayList<>(fx.restoreArgs(folder, db, "--strategy", "newDatabase"));
        args.set(args.indexOf("--port") + 1, String.valueOf(server.port()));
        args.addAll(List.of(extra));
        return args;
    }

    private static PostgresServer freshServer() {
        PostgresServer server = PostgresServer.start();
        servers.add(server);
        return server;
    }

    private static JsonNode manifest(String folder) {
        try {
            return JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode use(JsonNode roles, String name) {
        for (JsonNode r : roles.get("roles")) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no role " + name + " in " + roles);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.isTextual() ? n.asText() : n.get("name").asText()));
        return names;
    }

    private static List<String> roleNames(PostgresServer server) {
        return server.query("postgres", "SELECT rolname FROM pg_roles WHERE rolname LIKE 'rt\\_%' OR rolname LIKE 'odd%' ORDER BY 1");
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void psql(PostgresServer server, Path file) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(server.tool("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", server.host(), "-p", String.valueOf(server.port()), "-U", server.superuser(), "-d", "postgres",
                "-f", file.toString()).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", server.password());
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
