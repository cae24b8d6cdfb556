package io.backtrack.e2e.agent;

import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.postgres.SchemaDump;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed restore builds each table's indexes and keys while the later tables' rows still stream
 * (restore/OverlappedPostData). Attacked here: everything the archive holds must come back exactly, whatever the
 * early builds moved (foreign keys, NOT VALID checks whose old rows break them, partitions, exclusion constraints,
 * materialized views, policies, CLUSTER ON and REPLICA IDENTITY), and an early build that fails must fail the restore
 * and leave no database behind.
 */
class AgentPostDataBesideRowsTest {
    private static final Pattern BUILT_BESIDE = Pattern.compile("event=restore\\.data-restored .*builtBesideRows=(\\d+)");
    private final AgentFixture fx = AgentFixture.get();

    @Test
    void everythingComesBackExactlyWithIndexesBuiltBesideTheRows() {
        withDatabases("beside_rows", this::restoresExactly);
    }

    private void restoresExactly(String db, String restored) {
        fx.pg.createDatabase(db);
        SampleData.load(fx.pg, db);
        fx.pg.execute(db,
                // pg_dump writes a NOT VALID check after the rows: made early, the old row would fail the COPY.
                "CREATE TABLE public.a_notes (id int PRIMARY KEY, body text, during tsrange, "
                        + "EXCLUDE USING gist (during WITH &&))",
                "INSERT INTO public.a_notes SELECT i, 'n' || i, tsrange('2026-01-01'::timestamp + i * interval '1 day', "
                        + "'2026-01-01'::timestamp + (i + 1) * interval '1 day') FROM generate_series(1, 500) i",
                "INSERT INTO public.a_notes VALUES (0, '', NULL)",
                "ALTER TABLE public.a_notes ADD CONSTRAINT a_notes_body CHECK (body <> '') NOT VALID",
                "CREATE UNIQUE INDEX a_notes_lower ON public.a_notes (lower(body))",
                "ALTER TABLE public.a_notes CLUSTER ON a_notes_lower",
                "ALTER TABLE public.a_notes REPLICA IDENTITY USING INDEX a_notes_pkey",
                "COMMENT ON INDEX public.a_notes_lower IS 'one note per text'",
                "CREATE TABLE public.b_events (id int, at date NOT NULL, note_id int) PARTITION BY RANGE (at)",
                "CREATE TABLE public.b_events_2025 PARTITION OF public.b_events FOR VALUES FROM ('2025-01-01') "
                        + "TO ('2026-01-01')",
                "CREATE TABLE public.b_events_2026 PARTITION OF public.b_events FOR VALUES FROM ('2026-01-01') "
                        + "TO ('2027-01-01')",
                "CREATE INDEX b_events_at ON public.b_events (at)",
                "ALTER TABLE public.b_events ADD PRIMARY KEY (id, at)",
                "ALTER TABLE public.b_events ADD FOREIGN KEY (note_id) REFERENCES public.a_notes (id)",
                "INSERT INTO public.b_events SELECT i, '2025-06-01'::date + i, 1 + i % 500 FROM generate_series(1, 400) i",
                "CREATE MATERIALIZED VIEW public.c_totals AS SELECT note_id, count(*) AS n FROM public.b_events "
                        + "GROUP BY note_id",
                "CREATE UNIQUE INDEX c_totals_note ON public.c_totals (note_id)",
                "ALTER TABLE public.a_notes ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY a_notes_mine ON public.a_notes USING (body LIKE 'n%')");
        String schema = SchemaDump.of(fx.pg, db);
        DatabaseFingerprint rows = DatabaseFingerprint.of(fx.pg, db);
        String folder = backup(db);

        AgentProcess.Outcome out = fx.agent(fx.restoreArgs(folder, restored));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(out.result().get("mismatches")).isEmpty();
        assertThat(builtBeside(out)).as(out.stderr()).isPositive();
        assertThat(SchemaDump.of(fx.pg, restored)).isEqualTo(schema);
        assertThat(DatabaseFingerprint.of(fx.pg, restored)).isEqualTo(rows);
        assertThat(fx.pg.query(restored, "SELECT count(*) FROM public.c_totals")).containsExactly("400");
        // No progress line of the verbose pg_restore reaches the log as a warning.
        assertThat(out.stderr()).doesNotContain("processing data for table").doesNotContain("pg_restore.stderr");
    }

    @Test
    void anEarlyBuildThatFailsFailsTheRestoreAndLeavesNoDatabase() {
        withDatabases("early_fails", this::failsAndLeavesNothing);
    }

    private void failsAndLeavesNothing(String db, String restored) {
        fx.pg.createDatabase(db);
        // Its index expression refuses to run in a session without parallel maintenance workers: exactly the
        // early builds' sessions, so the same index built after the last row would succeed.
        fx.pg.execute(db,
                "CREATE FUNCTION public.guarded(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$BEGIN "
                        + "IF current_setting('max_parallel_maintenance_workers') = '0' THEN "
                        + "RAISE EXCEPTION 'guarded index refused'; END IF; RETURN i; END$$",
                "CREATE TABLE public.a_first (id int)",
                "INSERT INTO public.a_first SELECT generate_series(1, 1000)",
                "CREATE INDEX a_first_guarded ON public.a_first (public.guarded(id))",
                // Rows enough that the build of a_first's index has started before they are in: what is still
                // waiting when the last row is in goes to the post-data step instead.
                "CREATE TABLE public.b_second (id int, note text)",
                "INSERT INTO public.b_second SELECT i, repeat('x', 100) FROM generate_series(1, 300000) i");
        String folder = backup(db);

        AgentProcess.Outcome out = fx.agent(fx.restoreArgs(folder, restored));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
        assertThat(out.reason()).isEqualTo("RestoreFailed");
        assertThat(out.message()).contains("INDEX a_first_guarded")
                .contains("while later tables' rows were restored").contains("guarded index refused");
        assertThat(fx.pg.databaseExists(restored)).isFalse();
    }

    /** Runs {@code test} with the names of a source and a restored database, both dropped afterwards. */
    private void withDatabases(String name, BiConsumer<String, String> test) {
        String db = fx.pg.uniqueDatabaseName(name);
        String restored = fx.pg.uniqueDatabaseName(name + "_restored");
        try {
            test.accept(db, restored);
        } finally {
            fx.pg.dropDatabase(db);
            fx.pg.dropDatabase(restored);
        }
    }

    private String backup(String db) {
        String folder = AgentFixture.folder(db);
        List<String> args = new ArrayList<>(fx.backupArgs(folder));
        args.set(args.indexOf("--dbname") + 1, db);
        AgentProcess.Outcome out = fx.agent(args);
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        return folder;
    }

    private static int builtBeside(AgentProcess.Outcome out) {
        Matcher m = BUILT_BESIDE.matcher(out.stderr());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
