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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore strategies (newDatabase, swap, inPlace) and steps (check, restore, compare, all) against a real
 * PostgreSQL and S3Proxy. Each test works on its own databases: a "live" database loaded with the sample data,
 * backed up, then changed (rows deleted, a table dropped, a row updated) so a restore has something to undo.
 */
class AgentRestoreStrategiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AgentFixture fx;
    private static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    @AfterAll
    static void dropDatabases() {
        for (String db : created) {
            fx.pg.dropDatabase(db);
        }
    }

    /** A live database with the sample data, its backup, and the fingerprint taken right after the backup. */
    private record Live(String db, String folder, DatabaseFingerprint atBackup) {
    }

    private static Live live(String name, String... backupArgs) {
        String db = track(fx.pg.uniqueDatabaseName(name));
        fx.pg.createDatabase(db);
        SampleData.load(fx.pg, db);
        String folder = AgentFixture.folder(name);
        List<String> args = new ArrayList<>(List.of("backup", "--host", fx.pg.host(), "--port",
                String.valueOf(fx.pg.port()), "--dbname", db, "--username", fx.pg.superuser(), "--key", folder));
        args.addAll(fx.storageArgs());
        args.addAll(List.of(backupArgs));
        AgentProcess.Outcome out = fx.agent(args);
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        return new Live(db, folder, DatabaseFingerprint.of(fx.pg, db));
    }

    private static String track(String db) {
        created.add(db);
        return db;
    }

    /** Deletes rows, drops a table and updates a row; returns the changed fingerprint. */
    private static DatabaseFingerprint change(String db) {
        fx.pg.execute(db,
                "DELETE FROM public.order_items WHERE quantity > 1",
                "DROP TABLE billing.refunds",
                "UPDATE public.customers SET name = 'changed after the backup' WHERE id = (SELECT min(id) FROM public.customers)");
        return DatabaseFingerprint.of(fx.pg, db);
    }

    private static AgentProcess.Outcome restore(String folder, String db, String... extra) {
        return fx.agent(fx.restoreArgs(folder, db, extra));
    }

    private static AgentProcess.Outcome restore(String folder, String db, Map<String, String> env, String... extra) {
        return fx.agent(fx.restoreArgs(folder, db, extra), env);
    }

    private static JsonNode ok(AgentProcess.Outcome out) {
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(out.ok()).isTrue();
        assertThat(out.stdout().strip().lines()).hasSize(1);
        assertThat(out.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(4096);
        assertThat(out.stderr()).doesNotContain(fx.pg.password()).doesNotContain(fx.s3.secretKey());
        return out.result();
    }

    private static AgentProcess.Outcome failed(AgentProcess.Outcome out, String reason) {
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
        assertThat(out.reason()).as(out.stdout() + out.stderr()).isEqualTo(reason);
        assertThat(out.stderr()).doesNotContain(fx.pg.password()).doesNotContain(fx.s3.secretKey());
        return out;
    }

    private static List<String> databasesStartingWith(String prefix) {
        List<String> names = new ArrayList<>();
        try (Connection c = fx.pg.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?)")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    /** A copy of the folder's manifest, changed, in a new folder (pointing at the same archive). */
    private static String manifestCopy(String folder, java.util.function.Consumer<ObjectNode> change) throws Exception {
        ObjectNode manifest = (ObjectNode) JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        change.accept(manifest);
        String copy = AgentFixture.folder("manifest-copy");
        fx.s3.writeObject(AgentFixture.BUCKET, copy + "/manifest.json", JSON.writeValueAsBytes(manifest));
        return copy;
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void newDatabaseRestoresTheBackedUpContent() {
        Live live = live("rt_new");
        change(live.db());
        String target = track(fx.pg.uniqueDatabaseName("rt_new_target"));
        JsonNode r = ok(restore(live.folder(), target, "--strategy", "newDatabase"));
        assertThat(r.get("step").asText()).isEqualTo("all");
        assertThat(r.get("strategy").asText()).isEqualTo("newDatabase");
        assertThat(r.get("database").asText()).isEqualTo(target);
        assertThat(r.get("archiveVerified").asBoolean()).isTrue();
        assertThat(r.get("rowsRestored").asLong()).isEqualTo(live.atBackup().totalRows());
        assertThat(DatabaseFingerprint.of(fx.pg, target)).isEqualTo(live.atBackup());
    }

    @Test
    void inPlaceBringsBackExactlyTheBackedUpContent() {
        Live live = live("rt_inplace");
        change(live.db());
        JsonNode r = ok(restore(live.folder(), live.db(), "--strategy", "inPlace"));
        assertThat(r.get("strategy").asText()).isEqualTo("inPlace");
        assertThat(r.get("database").asText()).isEqualTo(live.db());
        assertThat(r.get("mismatches")).isEmpty();
        assertThat(r.get("rowsRestored").asLong()).isEqualTo(live.atBackup().totalRows());
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(live.atBackup());
    }

    @Test
    void swapPutsTheRestoreInPlaceKeepsThePreviousAndTerminatesSessions() throws Exception {
        Live live = live("rt_swap");
        DatabaseFingerprint changed = change(live.db());
        try (Connection session = fx.pg.connect(live.db())) {
            JsonNode r = ok(restore(live.folder(), live.db(), "--strategy", "swap"));
            assertThat(r.get("strategy").asText()).isEqualTo("swap");
            assertThat(r.get("database").asText()).isEqualTo(live.db());
            String previous = track(r.get("previousDatabase").asText());
            track(r.get("sideDatabase").asText());
            assertThat(previous).startsWith(live.db() + "_before_restore_");
            assertThat(r.get("mismatches")).isEmpty();

            assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(live.atBackup());
            assertThat(DatabaseFingerprint.of(fx.pg, previous)).isEqualTo(changed);
            assertThat(fx.pg.databaseExists(r.get("sideDatabase").asText())).isFalse();
            // The session open on the live database was terminated.
            assertThat(session.isValid(2)).isFalse();

            // The restore itself can be rolled back by renaming.
            String restored = track(live.db() + "_restored");
            fx.pg.execute("postgres", "ALTER DATABASE \"" + live.db() + "\" RENAME TO \"" + restored + "\"",
                    "ALTER DATABASE \"" + previous + "\" RENAME TO \"" + live.db() + "\"");
            assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(changed);
            assertThat(DatabaseFingerprint.of(fx.pg, restored)).isEqualTo(live.atBackup());
        }
    }

    @Test
    void stepsRunSeparatelyReachTheSameEndStateAsAll() {
        Live live = live("phases");
        DatabaseFingerprint changed = change(live.db());

        JsonNode check = ok(restore(live.folder(), live.db(), "--strategy", "swap", "--step", "check"));
        assertThat(check.get("step").asText()).isEqualTo("check");
        assertThat(check.get("archiveVerified").asBoolean()).isTrue();
        assertThat(check.get("sha256").asText()).hasSize(64);
        assertThat(check.get("sizeBytes").asLong()).isPositive();
        assertThat(check.get("sourceDatabase").asText()).isEqualTo(live.db());
        assertThat(check.get("sourceServerVersion").asText()).startsWith(fx.pg.major() + ".");
        assertThat(check.get("serverVersion").asText()).startsWith(fx.pg.major() + ".");
        assertThat(check.get("tables").asInt()).isEqualTo(6);
        assertThat(check.get("rows").asLong()).isEqualTo(live.atBackup().totalRows());
        String side = track(check.get("sideDatabase").asText());
        assertThat(fx.pg.databaseExists(side)).isFalse();
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(changed);

        JsonNode restore = ok(restore(live.folder(), live.db(), "--strategy", "swap", "--step", "restore"));
        assertThat(restore.get("step").asText()).isEqualTo("restore");
        assertThat(restore.get("database").asText()).isEqualTo(side);
        assertThat(restore.get("archiveVerified").asBoolean()).isTrue();
        assertThat(DatabaseFingerprint.of(fx.pg, side)).isEqualTo(live.atBackup());
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).as("live untouched by the restore step").isEqualTo(changed);

        String previous = track(live.db() + "_prev");
        JsonNode compare = ok(restore(live.folder(), live.db(), "--strategy", "swap", "--step", "compare",
                "--previous-database", previous));
        assertThat(compare.get("step").asText()).isEqualTo("compare");
        assertThat(compare.get("tables").asInt()).isEqualTo(6);
        assertThat(compare.get("rowsExpected").asLong()).isEqualTo(live.atBackup().totalRows());
        assertThat(compare.get("rowsRestored").asLong()).isEqualTo(live.atBackup().totalRows());
        assertThat(compare.get("mismatches")).isEmpty();
        assertThat(compare.get("previousDatabase").asText()).isEqualTo(previous);
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(live.atBackup());
        assertThat(DatabaseFingerprint.of(fx.pg, previous)).isEqualTo(changed);
        assertThat(fx.pg.databaseExists(side)).isFalse();

        // inPlace in steps too.
        change(live.db());
        ok(restore(live.folder(), live.db(), "--strategy", "inPlace", "--step", "check"));
        // inPlace compares inside its transaction, before it commits: the restore step reports the counts ...
        JsonNode v = ok(restore(live.folder(), live.db(), "--strategy", "inPlace", "--step", "restore"));
        assertThat(v.get("mismatches")).isEmpty();
        assertThat(v.get("rowsRestored").asLong()).isEqualTo(live.atBackup().totalRows());
        assertThat(v.get("verifiedBeforeCommit").asBoolean()).isTrue();
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(live.atBackup());
        // ... and a separate compare step, which would count after COMMIT, does not exist.
        failed(restore(live.folder(), live.db(), "--strategy", "inPlace", "--step", "compare"), "InvalidArguments");
    }

    // ---------------------------------------------------------------- corruption

    @Test
    void aCorruptArchiveIsRefusedAndLeavesEverythingAsItWas() {
        Live live = live("corrupt");
        DatabaseFingerprint changed = change(live.db());
        fx.s3.corruptOneByte(AgentFixture.BUCKET, fx.archiveKey(live.folder()));

        AgentProcess.Outcome check = failed(restore(live.folder(), live.db(), "--strategy", "inPlace", "--step",
                "check"), "ArchiveCorrupt");
        assertThat(check.message()).contains("SHA-256");

        AgentProcess.Outcome inPlace = failed(restore(live.folder(), live.db(), "--strategy", "inPlace", "--step",
                "restore"), "ArchiveCorrupt");
        assertThat(inPlace.message()).contains("SHA-256");
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(changed);

        failed(restore(live.folder(), live.db(), "--strategy", "swap", "--step", "restore"), "ArchiveCorrupt");
        assertThat(databasesStartingWith(live.db() + "_restoring_")).isEmpty();
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(changed);

        failed(restore(live.folder(), live.db(), "--strategy", "swap"), "ArchiveCorrupt");
        assertThat(databasesStartingWith(live.db() + "_")).isEmpty();

        String target = track(fx.pg.uniqueDatabaseName("corrupt_new"));
        failed(restore(live.folder(), target, "--strategy", "newDatabase", "--step", "restore"), "ArchiveCorrupt");
        assertThat(fx.pg.databaseExists(target)).isFalse();
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void badInputIsRefusedWithTheRightReasonAndTouchesNothing() throws Exception {
        Live live = live("refusals");
        DatabaseFingerprint changed = change(live.db());

        String empty = AgentFixture.folder("no-manifest");
        fx.s3.writeObject(AgentFixture.BUCKET, empty + "/archive.pgdump.zst", new byte[] {1, 2, 3});
        AgentProcess.Outcome noManifest = failed(restore(empty, live.db(), "--strategy", "inPlace", "--step", "check"),
                "ArchiveNotFound");
        assertThat(noManifest.message()).contains("no manifest.json under " + empty).contains("not a completed backup");

        failed(restore(live.folder(), live.db(), Map.of("PGPASSWORD", "wrong"), "--strategy", "inPlace", "--step",
                "check"), "DatabaseAuthFailed");

        AgentProcess.Outcome exists = failed(restore(live.folder(), live.db(), "--step", "check"), "DatabaseExists");
        assertThat(exists.message()).contains(live.db());

        failed(restore(live.folder(), fx.pg.uniqueDatabaseName("missing"), "--strategy", "inPlace", "--step",
                "check"), "DatabaseNotFound");

        AgentProcess.Outcome noTable = failed(restore(live.folder(), live.db(), "--strategy", "inPlace",
                "--table", "public.customers", "--table", "public.nope", "--step", "check"), "InvalidArguments");
        assertThat(noTable.message()).contains("table public.nope").doesNotContain("table public.customers");

        AgentProcess.Outcome partialSwap = failed(restore(live.folder(), live.db(), "--strategy", "swap", "--table",
                "customers", "--step", "check"), "InvalidArguments");
        assertThat(partialSwap.message()).contains("full-scope").contains("inPlace");

        String newer = manifestCopy(live.folder(), m -> m.put("serverVersion", "99.1"));
        AgentProcess.Outcome older = failed(restore(newer, live.db(), "--strategy", "inPlace"), "RestoreFailed");
        assertThat(older.message()).contains("the backup comes from PostgreSQL 99.1 but " + fx.pg.host() + ":"
                + fx.pg.port() + " runs " + fx.pg.major() + ".").contains("restore to a server of version 99 or later");
        failed(restore(newer, live.db(), "--strategy", "swap"), "RestoreFailed");
        assertThat(databasesStartingWith(live.db() + "_")).isEmpty();
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(changed);
    }

    @Test
    void aRowCountMismatchFailsVerificationAndSwapLeavesTheLiveDatabaseAlone() throws Exception {
        Live live = live("mismatch");
        DatabaseFingerprint changed = change(live.db());
        String wrong = manifestCopy(live.folder(), m -> {
            for (JsonNode t : m.get("tables")) {
                if (t.get("name").asText().equals("customers")) {
                    ((ObjectNode) t).put("rows", t.get("rows").asLong() + 1);
                }
            }
            m.put("rows", m.get("rows").asLong() + 1);
        });

        AgentProcess.Outcome swap = failed(restore(wrong, live.db(), "--strategy", "swap"), "VerificationFailed");
        assertThat(swap.message()).contains("public.customers").contains("untouched");
        assertThat(swap.result().get("mismatches")).hasSize(1);
        assertThat(swap.result().get("mismatches").get(0).get("name").asText()).isEqualTo("customers");
        assertThat(databasesStartingWith(live.db() + "_")).isEmpty();
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(changed);

        // --verify none skips the comparison (and swap goes ahead).
        JsonNode none = ok(restore(wrong, live.db(), "--strategy", "swap", "--verify", "none"));
        track(none.get("previousDatabase").asText());
        assertThat(none.get("tables").asInt()).isEqualTo(6);
        assertThat(none.has("mismatches")).isFalse();
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(live.atBackup());

        // inPlace compares inside its transaction: the mismatch rolls everything back, checked.
        change(live.db());
        DatabaseFingerprint changedAgain = DatabaseFingerprint.of(fx.pg, live.db());
        AgentProcess.Outcome inPlace = failed(restore(wrong, live.db(), "--strategy", "inPlace"), "VerificationFailed");
        assertThat(inPlace.message()).contains("public.customers").contains("rolled back (checked)");
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(changedAgain);
    }

    // ---------------------------------------------------------------- scope

    @Test
    void scopeSelectsTablesSchemaOnlyAndDataOnly() {
        Live live = live("scope");
        change(live.db());

        // inPlace --table: only that table comes back.
        JsonNode table = ok(restore(live.folder(), live.db(), "--strategy", "inPlace", "--table", "public.order_items"));
        assertThat(table.get("tables").asInt()).isEqualTo(1);
        DatabaseFingerprint afterTable = DatabaseFingerprint.of(fx.pg, live.db());
        assertThat(afterTable.contentHashes().get("public.order_items"))
                .isEqualTo(live.atBackup().contentHashes().get("public.order_items"));
        assertThat(afterTable.contentHashes().get("public.customers"))
                .as("outside the scope: still changed").isNotEqualTo(live.atBackup().contentHashes().get("public.customers"));
        assertThat(afterTable.rowCounts()).doesNotContainKey("billing.refunds");

        // newDatabase --table: the tables (and their schemas) only; a foreign key to a table left out is refused.
        String one = track(fx.pg.uniqueDatabaseName("scope_table"));
        AgentProcess.Outcome needs = failed(restore(live.folder(), one, "--table", "billing.refunds"),
                "InvalidArguments");
        assertThat(needs.message()).contains("billing.invoices").contains("refunds_invoice_id_fkey");
        assertThat(fx.pg.databaseExists(one)).isFalse();
        JsonNode t2 = ok(restore(live.folder(), one, "--table", "public.customers", "--table", "public.products"));
        assertThat(t2.get("rowsRestored").asLong()).isEqualTo(live.atBackup().rowCounts().get("public.customers")
                + live.atBackup().rowCounts().get("public.products"));
        DatabaseFingerprint oneFp = DatabaseFingerprint.of(fx.pg, one);
        assertThat(oneFp.rowCounts().keySet()).containsExactly("public.customers", "public.products");
        assertThat(oneFp.contentHashes().get("public.products"))
                .isEqualTo(live.atBackup().contentHashes().get("public.products"));

        // newDatabase --schema-only: every table, no rows.
        String empty = track(fx.pg.uniqueDatabaseName("scope_schema"));
        JsonNode s = ok(restore(live.folder(), empty, "--schema-only"));
        assertThat(s.get("rowsExpected").asLong()).isZero();
        DatabaseFingerprint emptyFp = DatabaseFingerprint.of(fx.pg, empty);
        assertThat(emptyFp.rowCounts().keySet()).isEqualTo(live.atBackup().rowCounts().keySet());
        assertThat(emptyFp.totalRows()).isZero();

        // inPlace --data-only into those existing empty tables: exactly the backed-up rows.
        JsonNode d = ok(restore(live.folder(), empty, "--strategy", "inPlace", "--data-only"));
        assertThat(d.get("rowsRestored").asLong()).isEqualTo(live.atBackup().totalRows());
        assertThat(DatabaseFingerprint.of(fx.pg, empty)).isEqualTo(live.atBackup());

        // inPlace --schema-only: definitions recreated, tables emptied (and the dropped table is back).
        JsonNode so = ok(restore(live.folder(), live.db(), "--strategy", "inPlace", "--schema-only"));
        assertThat(so.get("rowsExpected").asLong()).isZero();
        DatabaseFingerprint soFp = DatabaseFingerprint.of(fx.pg, live.db());
        assertThat(soFp.rowCounts().keySet()).isEqualTo(live.atBackup().rowCounts().keySet());
        assertThat(soFp.totalRows()).isZero();

        failed(restore(live.folder(), fx.pg.uniqueDatabaseName("x"), "--data-only", "--step", "check"),
                "InvalidArguments");
    }

    // ---------------------------------------------------------------- parallel jobs (--jobs: a Restore's parallelJobs)

    /** The agent's temporary directory (where a parallel restore writes the dump) set to {@code dir}. */
    private static Map<String, String> tmpDir(Path dir) {
        return Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + dir);
    }

    /** Files the agent left in {@code dir} (the JVM's own, such as a native library it unpacked, aside). */
    private static List<String> agentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("backtrack-")).toList();
        }
    }

    @Test
    void parallelJobsRestoreTheBackedUpRowsAndSchemaAndLeaveNoFileBehind(@TempDir Path tmp) throws Exception {
        Live live = live("rt_jobs");
        String schema = SchemaDump.of(fx.pg, live.db());
        change(live.db());

        String target = track(fx.pg.uniqueDatabaseName("rt_jobs_new"));
        AgentProcess.Outcome fresh = restore(live.folder(), target, tmpDir(tmp), "--strategy", "newDatabase",
                "--jobs", "3");
        JsonNode r = ok(fresh);
        assertThat(fresh.stderr()).contains("event=restore.spooled");
        assertThat(r.get("archiveVerified").asBoolean()).isTrue();
        assertThat(r.get("mismatches")).isEmpty();
        assertThat(r.get("rowsRestored").asLong()).isEqualTo(live.atBackup().totalRows());
        assertThat(DatabaseFingerprint.of(fx.pg, target)).isEqualTo(live.atBackup());
        assertThat(SchemaDump.of(fx.pg, target)).isEqualTo(schema);
        assertThat(agentFiles(tmp)).isEmpty();

        // Two tables only: pg_restore's parallel mode takes the list of what to restore too.
        String two = track(fx.pg.uniqueDatabaseName("rt_jobs_two"));
        JsonNode t2 = ok(restore(live.folder(), two, tmpDir(tmp), "--table", "public.customers", "--table",
                "public.products", "--jobs", "2"));
        assertThat(t2.get("rowsRestored").asLong()).isEqualTo(live.atBackup().rowCounts().get("public.customers")
                + live.atBackup().rowCounts().get("public.products"));
        assertThat(DatabaseFingerprint.of(fx.pg, two).rowCounts().keySet())
                .containsExactly("public.customers", "public.products");
        assertThat(SchemaDump.of(fx.pg, two, "public.customers", "public.products"))
                .isEqualTo(SchemaDump.of(fx.pg, target, "public.customers", "public.products"));

        JsonNode swapped = ok(restore(live.folder(), live.db(), tmpDir(tmp), "--strategy", "swap", "--jobs", "2"));
        track(swapped.get("previousDatabase").asText());
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(live.atBackup());
        assertThat(SchemaDump.of(fx.pg, live.db())).isEqualTo(schema);
        assertThat(agentFiles(tmp)).isEmpty();
    }

    @Test
    void aCorruptArchiveWithParallelJobsFailsBeforeAnyDatabaseIsCreated(@TempDir Path tmp) throws Exception {
        Live live = live("rt_jobs_corrupt");
        fx.s3.corruptOneByte(AgentFixture.BUCKET, fx.archiveKey(live.folder()));
        DatabaseFingerprint live0 = DatabaseFingerprint.of(fx.pg, live.db());

        String target = fx.pg.uniqueDatabaseName("rt_jobs_corrupt_new");
        AgentProcess.Outcome fresh = failed(restore(live.folder(), target, tmpDir(tmp), "--strategy", "newDatabase",
                "--jobs", "2"), "ArchiveCorrupt");
        assertThat(fresh.stderr()).doesNotContain("restore.database-created");
        assertThat(fx.pg.databaseExists(target)).isFalse();

        AgentProcess.Outcome swap = failed(restore(live.folder(), live.db(), tmpDir(tmp), "--strategy", "swap",
                "--jobs", "2"), "ArchiveCorrupt");
        assertThat(swap.stderr()).doesNotContain("restore.database-created");
        assertThat(databasesStartingWith(live.db() + "_")).isEmpty();
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(live0);
        assertThat(agentFiles(tmp)).isEmpty();
    }

    @Test
    void noRoomForTheDumpFailsBeforeAnyDatabaseIsCreatedAndSaysWhatToDo(@TempDir Path tmp) throws Exception {
        // Uncompressed, so that nothing but the dump is written: the JVM unpacks zstd's native library to /tmp too.
        Live live = live("rt_jobs_full", "--compression", "none");
        String target = fx.pg.uniqueDatabaseName("rt_jobs_full_new");
        Map<String, String> env = new HashMap<>(fx.env());
        env.putAll(tmpDir(tmp));
        AgentProcess.Outcome full = failed(AgentProcess.runWithFileSizeLimit(fx.restoreArgs(live.folder(), target,
                "--strategy", "newDatabase", "--jobs", "2"), env, 256), "RestoreFailed");
        assertThat(full.message()).contains("File too large", "nothing was restored", "ephemeral storage",
                "without --jobs");
        assertThat(full.stderr()).doesNotContain("restore.database-created");
        assertThat(fx.pg.databaseExists(target)).isFalse();
        assertThat(agentFiles(tmp)).isEmpty();

        // The same archive streamed writes nothing to disk: the limit does not matter.
        track(target);
        AgentProcess.Outcome streamed = AgentProcess.runWithFileSizeLimit(fx.restoreArgs(live.folder(), target,
                "--strategy", "newDatabase"), env, 256);
        ok(streamed);
        assertThat(DatabaseFingerprint.of(fx.pg, target)).isEqualTo(live.atBackup());
    }

    @Test
    void parallelJobsAreRefusedInPlaceAndOutOfRange() {
        Live live = live("rt_jobs_refused");
        AgentProcess.Outcome inPlace = failed(restore(live.folder(), live.db(), "--strategy", "inPlace", "--jobs", "2"),
                "InvalidArguments");
        assertThat(inPlace.message()).contains("one transaction", "--jobs");
        for (String jobs : List.of("0", "65")) {
            AgentProcess.Outcome out = failed(restore(live.folder(), fx.pg.uniqueDatabaseName("rt_jobs_range"),
                    "--jobs", jobs), "InvalidArguments");
            assertThat(out.message()).contains("--jobs must be 1 to 64");
        }
        assertThat(DatabaseFingerprint.of(fx.pg, live.db())).isEqualTo(live.atBackup());
    }
}
