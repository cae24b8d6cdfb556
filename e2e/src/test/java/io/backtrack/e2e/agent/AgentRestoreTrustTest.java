package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.postgres.SchemaDump;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restores that must never report success over wrong data (issue 16), each tried the way a hostile reviewer did,
 * against a real PostgreSQL and S3 server: what comes back must be exactly the backup, what is refused must be
 * refused before anything is touched, and a failure must leave the target as it was, checked.
 */
class AgentRestoreTrustTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READER = "backtrack_reader";
    private static AgentFixture fx;
    private static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
        fx.pg.execute("postgres", "DO $$BEGIN CREATE ROLE " + READER + " LOGIN PASSWORD 'reader-pw'; "
                + "EXCEPTION WHEN duplicate_object THEN NULL; END$$");
    }

    @AfterAll
    static void dropDatabases() {
        for (String db : created) {
            fx.pg.dropDatabase(db);
        }
    }

    private static String track(String db) {
        created.add(db);
        return db;
    }

    /** The sample data plus a leaf table with every kind of thing attached to it. */
    private static String liveDatabase(String name) {
        String db = track(fx.pg.uniqueDatabaseName(name));
        fx.pg.createDatabase(db);
        SampleData.load(fx.pg, db);
        fx.pg.execute(db,
                "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.seen := now(); "
                        + "RETURN NEW; END$$",
                """
                CREATE TABLE public.audit_log (
                    id bigserial PRIMARY KEY,
                    order_id bigint NOT NULL REFERENCES public.orders(id),
                    kind text NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'refund', 'call')),
                    note text,
                    seen timestamptz,
                    UNIQUE (order_id, kind, note))""",
                "CREATE INDEX audit_log_kind_idx ON public.audit_log (kind) WHERE kind <> 'note'",
                "CREATE TRIGGER audit_log_touch BEFORE INSERT ON public.audit_log FOR EACH ROW EXECUTE FUNCTION "
                        + "public.touch()",
                "COMMENT ON TABLE public.audit_log IS 'what happened to an order'",
                "COMMENT ON COLUMN public.audit_log.note IS 'free text'",
                "GRANT SELECT ON public.audit_log TO " + READER,
                "INSERT INTO public.audit_log (order_id, kind, note) SELECT 1 + i % 2000, "
                        + "(ARRAY['note','refund','call'])[1 + i % 3], 'secret-note-' || i FROM generate_series(1, 300) i");
        return db;
    }

    private static String backup(String db, String... extra) {
        String folder = AgentFixture.folder(db.replaceAll("[^A-Za-z0-9_]", "_"));
        List<String> args = new ArrayList<>(fx.backupArgs(folder, extra));
        args.set(args.indexOf("--dbname") + 1, db);
        AgentProcess.Outcome out = fx.agent(args);
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        return folder;
    }

    private static AgentProcess.Outcome restore(String folder, String db, String... extra) {
        return fx.agent(fx.restoreArgs(folder, db, extra));
    }

    private static JsonNode ok(AgentProcess.Outcome out) {
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(out.stderr()).doesNotContain(fx.pg.password());
        return out.result();
    }

    private static AgentProcess.Outcome failed(AgentProcess.Outcome out, String reason) {
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
        assertThat(out.reason()).as(out.stdout() + out.stderr()).isEqualTo(reason);
        return out;
    }

    private static String manifestCopy(String folder, Consumer<ObjectNode> change) throws Exception {
        ObjectNode manifest = (ObjectNode) JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        change.accept(manifest);
        String copy = AgentFixture.folder("manifest-copy");
        fx.s3.writeObject(AgentFixture.BUCKET, copy + "/manifest.json", JSON.writeValueAsBytes(manifest));
        return copy;
    }

    /** Everything a restore might have touched: rows, definitions of all tables, sequence values. */
    private record State(DatabaseFingerprint rows, String schema, String sequences) {
        static State of(String db) {
            return new State(DatabaseFingerprint.of(fx.pg, db), SchemaDump.of(fx.pg, db),
                    SchemaDump.sequences(fx.pg, db));
        }
    }

    // ------------------------------------------------------------------ 1. a table comes back exactly

    @Test
    void oneTableInPlaceComesBackExactlyAsBackedUpAndNoOtherTableIsTouched() {
        String db = liveDatabase("one_table");
        String definitionAtBackup = SchemaDump.of(fx.pg, db, "public.audit_log");
        DatabaseFingerprint atBackup = DatabaseFingerprint.of(fx.pg, db);
        String sequencesAtBackup = SchemaDump.sequences(fx.pg, db);
        String folder = backup(db);

        fx.pg.execute(db,
                "ALTER TABLE public.audit_log DROP CONSTRAINT audit_log_kind_check",
                "ALTER TABLE public.audit_log ALTER COLUMN kind SET DEFAULT 'call'",
                "DROP INDEX public.audit_log_kind_idx",
                "DROP TRIGGER audit_log_touch ON public.audit_log",
                "COMMENT ON TABLE public.audit_log IS NULL",
                "REVOKE SELECT ON public.audit_log FROM " + READER,
                "ALTER TABLE public.audit_log ADD COLUMN extra int",
                "DELETE FROM public.audit_log WHERE id % 2 = 0",
                "INSERT INTO public.audit_log (order_id, note) VALUES (5, 'after the backup')",
                // outside the scope: must stay as changed
                "DELETE FROM public.order_items WHERE quantity > 1",
                "UPDATE public.customers SET name = 'changed after the backup' WHERE id = 1");
        DatabaseFingerprint changed = DatabaseFingerprint.of(fx.pg, db);

        JsonNode r = ok(restore(folder, db, "--strategy", "inPlace", "--table", "public.audit_log"));
        assertThat(r.get("tables").asInt()).isEqualTo(1);
        assertThat(r.get("verifiedBeforeCommit").asBoolean()).isTrue();

        assertThat(SchemaDump.of(fx.pg, db, "public.audit_log")).isEqualTo(definitionAtBackup);
        assertThat(SchemaDump.sequences(fx.pg, db)).isEqualTo(sequencesAtBackup);
        DatabaseFingerprint after = DatabaseFingerprint.of(fx.pg, db);
        assertThat(after.contentHashes().get("public.audit_log")).isEqualTo(atBackup.contentHashes().get("public.audit_log"));
        for (String other : SampleData.TABLES) {
            assertThat(after.contentHashes().get(other)).as(other).isEqualTo(changed.contentHashes().get(other));
        }
    }

    @Test
    void tablesAndSchemasAreAUnionAndAForeignKeyFromAnUnnamedTableIsRefusedByName() {
        String db = liveDatabase("union");
        String folder = backup(db);
        fx.pg.execute(db, "DELETE FROM billing.invoices WHERE id > 400", "DELETE FROM public.audit_log WHERE id > 10",
                "DELETE FROM public.order_items WHERE quantity > 1");
        DatabaseFingerprint changed = DatabaseFingerprint.of(fx.pg, db);

        // orders is referenced by order_items, invoices and audit_log: re-creating it would break their keys.
        AgentProcess.Outcome refused = failed(restore(folder, db, "--strategy", "inPlace", "--table", "public.orders"),
                "RestoreFailed");
        assertThat(refused.message()).contains("order_items_order_id_fkey").contains("public.order_items")
                .contains("invoices_order_id_fkey").contains("nothing was touched").contains("swap");
        assertThat(DatabaseFingerprint.of(fx.pg, db)).isEqualTo(changed);

        JsonNode r = ok(restore(folder, db, "--strategy", "inPlace", "--table", "public.audit_log", "--schema",
                "billing"));
        assertThat(r.get("tables").asInt()).isEqualTo(3);
        DatabaseFingerprint after = DatabaseFingerprint.of(fx.pg, db);
        assertThat(after.rowCounts().get("billing.invoices")).isEqualTo(800);
        assertThat(after.rowCounts().get("public.audit_log")).isEqualTo(300);
        assertThat(after.contentHashes().get("public.order_items"))
                .isEqualTo(changed.contentHashes().get("public.order_items"));
    }

    // ------------------------------------------------------------------ 2. partial archives

    @Test
    void aPartialOrSchemaOnlyArchiveNeverReplacesAWholeDatabase() {
        String db = liveDatabase("partial");
        DatabaseFingerprint before = DatabaseFingerprint.of(fx.pg, db);
        String billingOnly = backup(db, "--schema", "billing");
        for (String strategy : List.of("swap", "inPlace")) {
            AgentProcess.Outcome out = failed(restore(billingOnly, db, "--strategy", strategy), "InvalidArguments");
            assertThat(out.message()).contains("holds only the schema(s) billing")
                    .contains("scope.schemas: [billing]").contains("newDatabase");
        }
        String schemaOnly = backup(db, "--schema-only");
        AgentProcess.Outcome empties = failed(restore(schemaOnly, db, "--strategy", "inPlace"), "InvalidArguments");
        assertThat(empties.message()).contains("definitions only").contains("scope.schemaOnly");
        assertThat(DatabaseFingerprint.of(fx.pg, db)).isEqualTo(before);
        assertThat(fx.pg.query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + db + "\\_%'"))
                .isEmpty();

        JsonNode asked = ok(restore(schemaOnly, db, "--strategy", "inPlace", "--schema-only"));
        assertThat(asked.get("rowsExpected").asLong()).isZero();
        assertThat(DatabaseFingerprint.of(fx.pg, db).totalRows()).isZero();
    }

    // ------------------------------------------------------------------ 3. swap keeps what the database is

    @Test
    void swapKeepsOwnerGrantsSettingsCommentAndLimits() {
        String db = liveDatabase("props");
        fx.pg.execute("postgres",
                "DO $$BEGIN CREATE ROLE backtrack_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$",
                "ALTER DATABASE " + db + " OWNER TO backtrack_app",
                "REVOKE ALL ON DATABASE " + db + " FROM PUBLIC",
                "GRANT CONNECT ON DATABASE " + db + " TO " + READER,
                "ALTER DATABASE " + db + " SET search_path = billing, public",
                "ALTER DATABASE " + db + " SET work_mem = '8MB'",
                "ALTER ROLE " + READER + " IN DATABASE " + db + " SET statement_timeout = '5s'",
                "COMMENT ON DATABASE " + db + " IS 'orders, the live one'",
                "ALTER DATABASE " + db + " CONNECTION LIMIT 40");
        String folder = backup(db);
        List<String> before = properties(db);

        JsonNode r = ok(restore(folder, db, "--strategy", "swap"));
        track(r.get("previousDatabase").asText());
        assertThat(properties(db)).isEqualTo(before);
    }

    /** What a database is besides its rows, as pg_database, pg_db_role_setting and pg_shdescription say. */
    private static List<String> properties(String db) {
        String d = "'" + db + "'";
        List<String> p = new ArrayList<>();
        p.addAll(fx.pg.query("postgres", "SELECT r.rolname || ' ' || pg_encoding_to_char(d.encoding) || ' ' || d.datcollate"
                + " || ' ' || d.datctype || ' ' || d.datlocprovider::text || ' ' || coalesce(d.daticulocale, '-') || ' '"
                + " || t.spcname || ' ' || d.datconnlimit || ' ' || d.datallowconn || ' ' || d.datistemplate"
                + " FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba JOIN pg_tablespace t ON t.oid = d.dattablespace"
                + " WHERE d.datname = " + d));
        p.addAll(fx.pg.query("postgres", "SELECT coalesce(grantee::regrole::text, 'PUBLIC') || ' ' || privilege_type"
                + " || ' ' || is_grantable || ' by ' || grantor::regrole FROM pg_database d, aclexplode(d.datacl)"
                + " WHERE d.datname = " + d + " ORDER BY 1"));
        p.addAll(fx.pg.query("postgres", "SELECT coalesce(nullif(s.setrole, 0)::regrole::text, '*') || ' '"
                + " || array_to_string(s.setconfig, ';') FROM pg_db_role_setting s JOIN pg_database d"
                + " ON d.oid = s.setdatabase WHERE d.datname = " + d + " ORDER BY 1"));
        p.addAll(fx.pg.query("postgres", "SELECT 'comment ' || coalesce(shobj_description(oid, 'pg_database'), '-')"
                + " FROM pg_database WHERE datname = " + d));
        assertThat(p).hasSizeGreaterThan(3);
        return p;
    }

    // ------------------------------------------------------------------ 4. inPlace verifies before COMMIT

    @Test
    void inPlaceComparesRowCountsBeforeCommitAndAMismatchLeavesTheTargetAsItWas() throws Exception {
        String db = liveDatabase("precommit");
        String folder = backup(db);
        fx.pg.execute(db, "DELETE FROM public.order_items WHERE quantity > 1");
        State changed = State.of(db);
        String wrong = manifestCopy(folder, m -> {
            for (JsonNode t : m.get("tables")) {
                if (t.get("name").asText().equals("customers")) {
                    ((ObjectNode) t).put("rows", t.get("rows").asLong() + 1);
                }
            }
        });
        AgentProcess.Outcome out = failed(restore(wrong, db, "--strategy", "inPlace"), "VerificationFailed");
        assertThat(out.message()).contains("public.customers").contains("rolled back (checked)")
                .contains("unchanged");
        assertThat(out.result().get("mismatches")).hasSize(1);
        assertThat(out.result().get("mismatches").get(0).get("expected").asLong()).isEqualTo(1001);
        assertThat(out.result().get("mismatches").get(0).get("actual").asLong()).isEqualTo(1000);
        assertThat(State.of(db)).isEqualTo(changed);
    }

    @Test
    void aLockHeldByTheApplicationEndsTheRestoreWithinTheLockTimeoutChangingNothing() throws Exception {
        String db = liveDatabase("locked");
        String folder = backup(db);
        fx.pg.execute(db, "DELETE FROM public.order_items WHERE quantity > 1");
        State changed = State.of(db);
        try (Connection app = fx.pg.connect(db); Statement st = app.createStatement()) {
            app.setAutoCommit(false);
            st.execute("LOCK TABLE public.order_items IN ACCESS SHARE MODE");
            Instant start = Instant.now();
            AgentProcess.Outcome out = failed(restore(folder, db, "--strategy", "inPlace", "--lock-timeout", "2s"),
                    "RestoreFailed");
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(60));
            assertThat(out.message()).contains("55P03").contains("rolled back (checked)");
            app.rollback();
        }
        assertThat(State.of(db)).isEqualTo(changed);
    }

    // ------------------------------------------------------------------ 10. the check says what would fail

    @Test
    void theCheckRefusesWhatAnInPlaceRestoreWouldFailOnNamingTheObjects() {
        String db = liveDatabase("refuse");
        String folder = backup(db);
        fx.pg.execute(db, "CREATE VIEW public.recent_orders AS SELECT id FROM public.orders WHERE id > 1000",
                "CREATE TABLE public.made_later (id int)");
        DatabaseFingerprint before = DatabaseFingerprint.of(fx.pg, db);
        AgentProcess.Outcome view = failed(restore(folder, db, "--strategy", "inPlace", "--step", "check"),
                "RestoreFailed");
        assertThat(view.message()).contains("view public.recent_orders").contains("strategy swap")
                .contains("nothing was touched");
        fx.pg.execute(db, "DROP VIEW public.recent_orders");

        JsonNode kept = ok(restore(folder, db, "--strategy", "inPlace", "--step", "check"));
        assertThat(kept.get("keptObjects").toString()).contains("public.made_later");
        assertThat(DatabaseFingerprint.of(fx.pg, db)).isEqualTo(before);
    }

    @Test
    void anExtensionOwnedByAnotherRoleIsRefusedByNameForAnOwnerRestoring() {
        String db = track(fx.pg.uniqueDatabaseName("ext"));
        fx.pg.execute("postgres",
                "DO $$BEGIN CREATE ROLE backtrack_owner LOGIN PASSWORD 'owner-pw'; "
                        + "EXCEPTION WHEN duplicate_object THEN NULL; END$$",
                "CREATE DATABASE " + db + " OWNER backtrack_owner");
        fx.pg.execute(db, "CREATE EXTENSION pgcrypto", "SET ROLE backtrack_owner",
                "CREATE TABLE public.secrets (id int PRIMARY KEY, digest bytea)",
                "INSERT INTO public.secrets SELECT i, digest(i::text, 'sha256') FROM generate_series(1, 10) i");
        String folder = backup(db);
        List<String> args = new ArrayList<>(fx.restoreArgs(folder, db, "--strategy", "inPlace", "--step", "check"));
        args.set(args.indexOf("--username") + 1, "backtrack_owner");
        AgentProcess.Outcome out = failed(fx.agent(args, Map.of("PGPASSWORD", "owner-pw")), "RestoreFailed");
        assertThat(out.message()).contains("extension pgcrypto (owner postgres)").contains("backtrack_owner")
                .contains("swap");
    }

    @Test
    void moreLocksThanTheServerHoldsAreRefusedWithTheSettingToRaise() {
        String db = track(fx.pg.uniqueDatabaseName("locks"));
        fx.pg.createDatabase(db);
        // max_connections 50 × max_locks_per_transaction 64 = 3200 lock slots
        for (int i = 0; i < 4; i++) {
            fx.pg.execute(db, "SELECT lo_from_bytea(0, 'x') FROM generate_series(1, 1000)");
        }
        String folder = backup(db);
        AgentProcess.Outcome out = failed(restore(folder, db, "--strategy", "inPlace", "--step", "check"),
                "RestoreFailed");
        assertThat(out.message()).contains("4000 large objects").contains("max_locks_per_transaction")
                .contains("out of shared memory").contains("swap");
        JsonNode swap = ok(restore(folder, db, "--strategy", "swap"));
        track(swap.get("previousDatabase").asText());
        assertThat(fx.pg.query(db, "SELECT count(*) FROM pg_largeobject_metadata")).containsExactly("4000");
    }

    // ------------------------------------------------------------------ 11. no row data in messages

    @Test
    void failureMessagesCarryNoRowDataOrStatements() {
        String db = liveDatabase("leak");
        String folder = backup(db);
        fx.pg.execute(db, "ALTER TABLE public.audit_log ADD CONSTRAINT no_secrets CHECK (note NOT LIKE 'secret%') "
                + "NOT VALID");
        State before = State.of(db);
        AgentProcess.Outcome out = failed(restore(folder, db, "--strategy", "inPlace", "--table", "public.audit_log",
                "--data-only"), "RestoreFailed");
        assertThat(out.message()).contains("no_secrets").contains("23514")
                .doesNotContain("secret-note").doesNotContain("Failing row").doesNotContain("COPY");
        assertThat(out.stdout()).doesNotContain("secret-note");
        assertThat(State.of(db)).isEqualTo(before);
    }

    // ------------------------------------------------------------------ 14. counted once, verified

    @Test
    void eachObjectIsCountedOnceAndViewsLargeObjectsAndForeignTablesAreAccountedFor() throws Exception {
        String db = track(fx.pg.uniqueDatabaseName("kinds"));
        fx.pg.createDatabase(db);
        fx.pg.execute(db,
                "CREATE TABLE public.parent (id int, kind text)",
                "CREATE TABLE public.child (extra int) INHERITS (public.parent)",
                "INSERT INTO public.parent SELECT i, 'p' FROM generate_series(1, 10) i",
                "INSERT INTO public.child SELECT i, 'c', i FROM generate_series(1, 25) i",
                "CREATE MATERIALIZED VIEW public.kinds AS SELECT kind, count(*) FROM public.parent GROUP BY kind",
                "CREATE MATERIALIZED VIEW public.never AS SELECT 1 AS x WITH NO DATA",
                "CREATE FOREIGN DATA WRAPPER backtrack_dummy",
                "CREATE SERVER backtrack_remote FOREIGN DATA WRAPPER backtrack_dummy",
                "CREATE FOREIGN TABLE public.remote (id int) SERVER backtrack_remote",
                "SELECT lo_from_bytea(0, 'hello'), lo_from_bytea(0, 'world')");
        String folder = backup(db);
        JsonNode manifest = JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        assertThat(manifest.get("tables").toString()).contains("{\"schema\":\"public\",\"name\":\"parent\",\"rows\":10}")
                .contains("{\"schema\":\"public\",\"name\":\"child\",\"rows\":25}")
                .contains("{\"schema\":\"public\",\"name\":\"kinds\",\"rows\":2,\"kind\":\"materializedView\"}");
        assertThat(manifest.get("rows").asLong()).isEqualTo(37);
        assertThat(manifest.get("largeObjects").asLong()).isEqualTo(2);
        assertThat(manifest.get("unverified").toString()).contains("\"name\":\"remote\"").contains("foreignTable")
                .contains("\"name\":\"never\"");

        String copy = track(fx.pg.uniqueDatabaseName("kinds_copy"));
        JsonNode r = ok(restore(folder, copy));
        assertThat(r.get("rowsRestored").asLong()).isEqualTo(37);
        assertThat(r.get("mismatches")).isEmpty();
        assertThat(r.get("unverified").asInt()).isEqualTo(2);

        String moreObjects = manifestCopy(folder, m -> m.put("largeObjects", 3));
        String other = track(fx.pg.uniqueDatabaseName("kinds_lo"));
        AgentProcess.Outcome lo = failed(restore(moreObjects, other), "VerificationFailed");
        assertThat(lo.message()).contains("large objects: expected 3, found 2");
    }

    // ------------------------------------------------------------------ 15. one transaction, checked

    @Test
    void aFailureAfterLargeObjectsOrAKilledSessionLeavesTheTargetExactlyAsItWas() {
        String db = liveDatabase("single_txn");
        fx.pg.execute(db, "SELECT lo_from_bytea(0, convert_to('large object ' || i, 'UTF8')) FROM generate_series(1, 5) i");
        String folder = backup(db);
        fx.pg.execute(db, "DELETE FROM public.order_items WHERE quantity > 1",
                "SELECT lo_unlink(min(oid)) FROM pg_largeobject_metadata");
        // Fails the restore after its data and large objects went in: at the first index it builds.
        fx.pg.execute(db, "CREATE FUNCTION public.no_index() RETURNS event_trigger LANGUAGE plpgsql AS "
                        + "$$BEGIN RAISE EXCEPTION 'no index today'; END$$",
                "CREATE EVENT TRIGGER backtrack_no_index ON ddl_command_start WHEN TAG IN ('CREATE INDEX') "
                        + "EXECUTE FUNCTION public.no_index()");
        State changed = State.of(db);
        List<String> objects = fx.pg.query(db, "SELECT count(*) FROM pg_largeobject_metadata");

        AgentProcess.Outcome error = failed(restore(folder, db, "--strategy", "inPlace", "--step", "restore"),
                "RestoreFailed");
        assertThat(error.message()).contains("no index today").contains("rolled back (checked)");
        assertThat(State.of(db)).isEqualTo(changed);
        assertThat(fx.pg.query(db, "SELECT count(*) FROM pg_largeobject_metadata")).isEqualTo(objects);

        // The session itself is killed where the index would be built.
        fx.pg.execute(db, "CREATE OR REPLACE FUNCTION public.no_index() RETURNS event_trigger LANGUAGE plpgsql AS "
                + "$$BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); END$$");
        changed = State.of(db);
        AgentProcess.Outcome killed = failed(restore(folder, db, "--strategy", "inPlace", "--step", "restore"),
                "RestoreFailed");
        assertThat(killed.message()).contains("rolled back (checked)");
        assertThat(State.of(db)).isEqualTo(changed);
        assertThat(fx.pg.query(db, "SELECT count(*) FROM pg_largeobject_metadata")).isEqualTo(objects);
        fx.pg.execute(db, "DROP EVENT TRIGGER backtrack_no_index");
    }

    // ------------------------------------------------------------------ 19, 20. names

    @Test
    void aDatabaseNameThatLooksLikeAConnectionStringIsTakenLiterally() {
        String odd = track("dbname=" + fx.pg.uniqueDatabaseName("lit") + " host=attacker.invalid");
        fx.pg.createDatabase(odd);
        fx.pg.execute(odd, "CREATE TABLE t (a int)", "INSERT INTO t VALUES (1), (2)");
        String folder = backup(odd);
        String copy = track("dbname=copy_" + Long.toString(System.nanoTime(), 36) + " host=attacker.invalid");
        JsonNode r = ok(restore(folder, copy));
        assertThat(r.get("rowsRestored").asLong()).isEqualTo(2);
        assertThat(fx.pg.databaseExists(copy)).isTrue();
        assertThat(fx.pg.query(copy, "SELECT count(*) FROM t")).containsExactly("2");
    }

    @Test
    void aDatabaseNameLongerThanPostgresKeepsIsRefusedNotCut() {
        String longName = "d".repeat(64);
        AgentProcess.Outcome out = failed(restore(AgentFixture.folder("any"), longName), "InvalidArguments");
        assertThat(out.message()).contains("64 bytes").contains("63");
        List<String> backupArgs = new ArrayList<>(fx.backupArgs(AgentFixture.folder("long")));
        backupArgs.set(backupArgs.indexOf("--dbname") + 1, longName);
        assertThat(failed(fx.agent(backupArgs), "InvalidArguments").message()).contains("63");
    }
}
