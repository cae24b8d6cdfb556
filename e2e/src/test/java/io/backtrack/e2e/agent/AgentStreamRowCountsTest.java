package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.agent.engine.postgres.Relation;
import io.backtrack.agent.engine.postgres.RowCounter;
import io.backtrack.agent.engine.postgres.SnapshotSession;
import io.backtrack.agent.engine.postgres.StreamRowCounter;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.e2e.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifest's row counts come from pg_dump's stream ({@link StreamRowCounter}) and must mean exactly what
 * {@code SELECT count(*) FROM ONLY …} in the dump's snapshot returns: checked here against a real PostgreSQL for
 * every awkward kind of table, with changes made after the snapshot was exported that neither may see.
 */
class AgentStreamRowCountsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AgentFixture fx;
    private static String db;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
        db = fx.pg.uniqueDatabaseName("awkward");
        fx.pg.createDatabase(db);
        AwkwardTables.load(fx.pg, db);
    }

    @AfterAll
    static void dropDatabase() {
        fx.pg.dropDatabase(db);
    }

    @Test
    void theStreamCountsEveryTableAsCountStarDoesInTheDumpsSnapshot() throws Exception {
        streamCountsMatchCountStar(fx.pg, db);
    }

    /**
     * Dumps {@code db} (holding {@link AwkwardTables}) with the server's own pg_dump in an exported snapshot, changes
     * it after the export, and checks the stream's counts against count(*) in that snapshot, reading the archive in
     * pieces of every size.
     */
    static void streamCountsMatchCountStar(PostgresServer pg, String db) throws Exception {
        try (Connection connection = pg.connect(db); SnapshotSession session = SnapshotSession.begin(connection)) {
            // Changes after the export, which neither the dump nor count(*) in the snapshot may see.
            pg.execute(db, "INSERT INTO public.animals VALUES (100, 'late')",
                    "INSERT INTO public.puppies SELECT i, 'late', 'pug', 1 FROM generate_series(1, 10) i",
                    "DELETE FROM public.m2023 WHERE id % 3 = 0",
                    "UPDATE public.big SET payload = 'changed' WHERE id < 100",
                    "INSERT INTO public.empty VALUES (1)",
                    "INSERT INTO public.lines VALUES (E'late\\n')");
            List<Relation> relations = session.userRelations();
            List<TableRef> tables = relations.stream().filter(r -> r.kind() == Relation.Kind.TABLE)
                    .map(Relation::ref).toList();
            Map<TableRef, Long> expected = new HashMap<>();
            for (TableRef t : tables) {
                expected.put(t, RowCounter.countOne(connection, t));
            }
            assertThat(tables).hasSize(AwkwardTables.TABLES).contains(new TableRef("Mixed Schema", "Odd.Name \"quoted\""),
                    new TableRef("public", "m2024_odd"), new TableRef("public", "nocols"));
            assertThat(expected.get(new TableRef("public", "animals"))).isEqualTo(3);
            assertThat(expected.get(new TableRef("public", "lines"))).isEqualTo(16);
            assertThat(expected.get(new TableRef("public", "nocols"))).isEqualTo(6);
            assertThat(expected.get(new TableRef("public", "empty"))).isZero();

            byte[] archive = dump(pg, db, session.snapshotId());
            // The same archive read in pieces of every size, so that chunk headers, rows and the end-of-data line
            // fall across buffer boundaries everywhere.
            for (int bufferSize : new int[] {5, 4096, 1 << 20}) {
                StreamRowCounter counter = new StreamRowCounter(tables);
                ByteArrayOutputStream copy = new ByteArrayOutputStream(archive.length);
                long copied = counter.copy(new PipeLikeInput(archive, bufferSize), copy, new byte[bufferSize]);
                assertThat(counter.unreadable()).as("buffer of %d bytes", bufferSize).isNull();
                assertThat(counter.counts()).as("buffer of %d bytes", bufferSize).isEqualTo(expected);
                assertThat(copied).isEqualTo(archive.length);
                assertThat(copy.toByteArray()).isEqualTo(archive);
            }
        }
    }

    @Test
    void theManifestHoldsCountStarOfEveryTableAndViewCountingTablesFromTheStream() throws Exception {
        String folder = AgentFixture.folder("stream-counts");
        List<String> args = AgentFixture.replace(fx.backupArgs(folder), "--dbname", db);
        AgentProcess.Outcome out = fx.agent(args);
        assertThat(out.exitCode()).as(out.stderr()).isZero();
        // 16 tables from the stream, the materialized view with SQL.
        assertThat(out.stderr()).contains("event=backup.counted fromStream=16 withSql=1");

        JsonNode manifest = JSON.readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        long sum = 0;
        for (JsonNode t : manifest.get("tables")) {
            String quoted = "\"" + t.get("schema").asText().replace("\"", "\"\"") + "\".\""
                    + t.get("name").asText().replace("\"", "\"\"") + "\"";
            long rows = Long.parseLong(fx.pg.query(db, "SELECT count(*) FROM ONLY " + quoted).get(0));
            assertThat(t.get("rows").asLong()).as(quoted).isEqualTo(rows);
            sum += rows;
        }
        assertThat(manifest.get("tables")).hasSize(17);
        assertThat(manifest.get("rows").asLong()).isEqualTo(sum);
        assertThat(manifest.get("largeObjects").asLong()).isEqualTo(3);
    }

    /** {@code pg_dump --snapshot=… -Fc -Z0} of the test database, as the agent runs it. */
    private static byte[] dump(PostgresServer pg, String db, String snapshot) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(pg.tool("pg_dump").toString(), "--snapshot=" + snapshot,
                "--format=custom", "--compress=0", "--no-password", "-h", pg.host(), "-p",
                String.valueOf(pg.port()), "-U", pg.superuser(), "-d", db);
        pb.environment().put("PGPASSWORD", pg.password());
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        assertThat(p.waitFor()).as(new String(err.join())).isZero();
        return out;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns at most a varying number of bytes per read, as a pipe does. */
    private static final class PipeLikeInput extends ByteArrayInputStream {
        private final Random random = new Random(42);
        private final int most;

        PipeLikeInput(byte[] bytes, int most) {
            super(bytes);
            this.most = most;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(most)));
        }
    }
}
