package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.agent.engine.postgres.Relation;
import io.backtrack.agent.engine.postgres.RowCounter;
import io.backtrack.agent.engine.postgres.SnapshotSession;
import io.backtrack.agent.engine.postgres.StreamRowCounter;
import io.backtrack.agent.engine.postgres.TableRef;
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
        fx.pg.execute(db,
                // Partitions (one of them partitioned again, and a default one): rows live in the leaves.
                "CREATE TABLE public.measurements (id int, at date, v numeric) PARTITION BY RANGE (at)",
                "CREATE TABLE public.m2023 PARTITION OF public.measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')",
                "CREATE TABLE public.m2024 PARTITION OF public.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') "
                        + "PARTITION BY LIST ((id % 2))",
                "CREATE TABLE public.m2024_even PARTITION OF public.m2024 FOR VALUES IN (0)",
                "CREATE TABLE public.m2024_odd PARTITION OF public.m2024 FOR VALUES IN (1)",
                "CREATE TABLE public.m_other PARTITION OF public.measurements DEFAULT",
                "INSERT INTO public.measurements SELECT i, date '2023-01-01' + (i % 900), i FROM generate_series(1, 3001) i",
                // Legacy inheritance, three levels: each table counts only its own rows.
                "CREATE TABLE public.animals (id int, name text)",
                "CREATE TABLE public.dogs (breed text) INHERITS (public.animals)",
                "CREATE TABLE public.puppies (age int) INHERITS (public.dogs)",
                "INSERT INTO public.animals SELECT i, 'cat ' || i FROM generate_series(1, 3) i",
                "INSERT INTO public.dogs SELECT i, 'dog ' || i, 'collie' FROM generate_series(1, 4) i",
                "INSERT INTO public.puppies SELECT i, 'puppy ' || i, 'pug', i FROM generate_series(1, 5) i",
                // A generated column and a dropped one (pg_dump copies a column list).
                "CREATE TABLE public.gen (a int, b int GENERATED ALWAYS AS (a * 2) STORED, gone text)",
                "ALTER TABLE public.gen DROP COLUMN gone",
                "INSERT INTO public.gen (a) SELECT i FROM generate_series(1, 7) i",
                // bytea holding every byte value, newlines and backslashes among them.
                "CREATE TABLE public.blobs (id int, b bytea)",
                "INSERT INTO public.blobs SELECT 1, decode(string_agg(lpad(to_hex(g), 2, '0'), ''), 'hex') "
                        + "FROM generate_series(0, 255) g",
                "INSERT INTO public.blobs SELECT i, decode(repeat('0a5c0d2e', i), 'hex') FROM generate_series(2, 40) i",
                // Text with newlines, carriage returns, backslashes, tabs, the end-of-data line itself, empty
                // values (an empty line of COPY text) and NULL.
                "CREATE TABLE public.lines (v text)",
                "INSERT INTO public.lines VALUES (''), (E'a\\nb'), (E'\\r\\n'), (E'\\r'), (E'back\\\\slash'), (E'\\\\.'), "
                        + "('\\.'), (E'\\\\'), (E'tab\\there'), (NULL), (E'\\n\\n\\n'), (E'ends in a newline\\n'), "
                        + "(E'.\\n\\\\.\\n'), ('\\N'), (''), ('')",
                // Tables without columns: every row is an empty line.
                "CREATE TABLE public.nocols ()",
                "INSERT INTO public.nocols SELECT FROM generate_series(1, 6)",
                "CREATE TABLE public.nocols_empty ()",
                "CREATE TABLE public.empty (id int)",
                // Names that need quoting, in a schema that does.
                "CREATE SCHEMA \"Mixed Schema\"",
                "CREATE TABLE \"Mixed Schema\".\"Odd.Name \"\"quoted\"\"\" (id int, v text)",
                "INSERT INTO \"Mixed Schema\".\"Odd.Name \"\"quoted\"\"\" SELECT i, 'x' FROM generate_series(1, 9) i",
                "CREATE UNLOGGED TABLE public.scratch (id int)",
                "INSERT INTO public.scratch SELECT generate_series(1, 4)",
                // Many chunks and buffers: 60,000 rows, and one 4.5 MB value full of (escaped) newlines.
                "CREATE TABLE public.big (id int, payload text)",
                "INSERT INTO public.big SELECT i, md5(i::text) FROM generate_series(1, 60000) i",
                "INSERT INTO public.big VALUES (0, repeat(E'x\\ny', 1500000))",
                // Large objects (newline bytes in their data) are not rows of any table.
                "SELECT lo_from_bytea(0, '\\x0a0a0a5c2e0a'::bytea) FROM generate_series(1, 3)",
                // A materialized view's data is a REFRESH statement in the archive, not rows: counted with SQL.
                "CREATE MATERIALIZED VIEW public.dog_names AS SELECT name FROM public.dogs");
    }

    @AfterAll
    static void dropDatabase() {
        fx.pg.dropDatabase(db);
    }

    @Test
    void theStreamCountsEveryTableAsCountStarDoesInTheDumpsSnapshot() throws Exception {
        try (Connection connection = fx.pg.connect(db); SnapshotSession session = SnapshotSession.begin(connection)) {
            // Changes after the export, which neither the dump nor count(*) in the snapshot may see.
            fx.pg.execute(db, "INSERT INTO public.animals VALUES (100, 'late')",
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
            assertThat(tables).hasSize(16).contains(new TableRef("Mixed Schema", "Odd.Name \"quoted\""),
                    new TableRef("public", "m2024_odd"), new TableRef("public", "nocols"));
            assertThat(expected.get(new TableRef("public", "animals"))).isEqualTo(3);
            assertThat(expected.get(new TableRef("public", "lines"))).isEqualTo(16);
            assertThat(expected.get(new TableRef("public", "nocols"))).isEqualTo(6);
            assertThat(expected.get(new TableRef("public", "empty"))).isZero();

            byte[] archive = dump(session.snapshotId());
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
    private static byte[] dump(String snapshot) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(fx.pg.tool("pg_dump").toString(), "--snapshot=" + snapshot,
                "--format=custom", "--compress=0", "--no-password", "-h", fx.pg.host(), "-p",
                String.valueOf(fx.pg.port()), "-U", fx.pg.superuser(), "-d", db);
        pb.environment().put("PGPASSWORD", fx.pg.password());
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
