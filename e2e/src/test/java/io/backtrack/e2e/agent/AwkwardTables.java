package io.backtrack.e2e.agent;

import io.backtrack.e2e.postgres.PostgresServer;

/**
 * Every awkward kind of table for row counting, with known contents: partitions (nested, default), legacy
 * inheritance, generated and dropped columns, bytea and text full of newlines and backslashes, tables without
 * columns, quoted names, an unlogged table, many chunks, large objects and a materialized view: 16 tables and the
 * view, 3 large objects.
 */
final class AwkwardTables {
    static final int TABLES = 16;

    private AwkwardTables() {
    }

    static void load(PostgresServer pg, String db) {
        pg.execute(db,
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
}
