package io.backtrack.e2e.bench;

import io.backtrack.e2e.postgres.PostgresServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills a database with data that compresses about as poorly as a real application's: names and words from a
 * vocabulary, e-mail addresses, uuids, money amounts, timestamps, jsonb documents, random bytea blobs and free
 * text, plus primary keys and secondary indexes (btree on uuid, text, timestamps and foreign keys). Rows are added
 * in batches until {@code pg_database_size} reaches the target, then VACUUM ANALYZE and CHECKPOINT, so no timed
 * run pays for hint bits or dirty buffers. pgbench's tables compress 36×; this mix about 2–3×.
 */
final class BenchDatabase {
    private static final String WORDS = "ARRAY['alpha','bravo','cobalt','delta','ember','falcon','garnet','harbor',"
            + "'indigo','juniper','kestrel','lumen','meadow','nimbus','onyx','prairie','quartz','raven','sierra',"
            + "'timber','umber','vertex','willow','xenon','yarrow','zephyr','invoice','shipment','refund','customer',"
            + "'warehouse','priority','express','standard','returned','pending','delivered','cancelled','note','gift']";
    private static final String FIRST = "ARRAY['Anna','Ben','Chloe','David','Emma','Felix','Greta','Hugo','Ines',"
            + "'Jonas','Karla','Liam','Mia','Noah','Olga','Paul','Quinn','Rosa','Sven','Tara','Uwe','Vera','Wim','Yara']";
    private static final String LAST = "ARRAY['Schmidt','Garcia','Smith','Rossi','Novak','Kowalski','Jensen',"
            + "'Dubois','Silva','Nakamura','Okafor','Larsen','Meyer','Horvat','Ivanova','Costa','Brown','Moreau']";
    private static final int BATCH = 20_000;

    private BenchDatabase() {
    }

    /** Creates and fills {@code db}; returns its size on disk in bytes. */
    static long create(PostgresServer pg, String db, long targetBytes) throws SQLException {
        pg.createDatabase(db);
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE customers (id bigint PRIMARY KEY, ext_id uuid NOT NULL, name text NOT NULL,
                      email text NOT NULL, country char(2), created_at timestamptz NOT NULL, balance numeric(14,2),
                      profile jsonb);
                    CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, ext_id uuid NOT NULL,
                      status text NOT NULL, amount numeric(12,2) NOT NULL, placed_at timestamptz NOT NULL,
                      shipped_at timestamptz, items jsonb NOT NULL, note text);
                    CREATE TABLE attachments (id bigint PRIMARY KEY, order_id bigint NOT NULL, sha256 bytea NOT NULL,
                      mime text NOT NULL, content bytea NOT NULL, created_at timestamptz NOT NULL);
                    CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL, kind text NOT NULL,
                      actor uuid, payload jsonb NOT NULL);
                    CREATE UNIQUE INDEX customers_ext_id ON customers (ext_id);
                    CREATE INDEX customers_email ON customers (email);
                    CREATE UNIQUE INDEX orders_ext_id ON orders (ext_id);
                    CREATE INDEX orders_customer ON orders (customer_id);
                    CREATE INDEX orders_placed_at ON orders (placed_at);
                    CREATE INDEX attachments_order ON attachments (order_id);
                    CREATE INDEX events_at ON events (at);
                    """);
            long batch = 0;
            long size = 0;
            while (size < targetBytes) {
                insertBatch(st, batch++);
                size = size(st);
            }
            st.execute("VACUUM (ANALYZE)");
            st.execute("CHECKPOINT");
            return size(st);
        }
    }

    private static void insertBatch(Statement st, long batch) throws SQLException {
        long from = batch * BATCH + 1;
        long to = from + BATCH - 1;
        String w = "(" + WORDS + ")";
        st.execute("INSERT INTO customers SELECT g, gen_random_uuid(), "
                + "(" + FIRST + ")[1 + (random() * 23)::int] || ' ' || (" + LAST + ")[1 + (random() * 17)::int], "
                + "substr(md5(g::text), 1, 6 + g % 7) || '@' || (ARRAY['example.com','mail.de','shop.io','corp.net'])[1 + g % 4], "
                + "(ARRAY['DE','FR','US','PL','IT','ES','NL','SE'])[1 + (random() * 7)::int], "
                + "timestamptz '2015-01-01' + random() * interval '10 years', round((random() * 100000)::numeric, 2), "
                + "jsonb_build_object('tier', (ARRAY['free','pro','enterprise'])[1 + g % 3], 'score', round(random()::numeric, 4), "
                + "'tags', jsonb_build_array(" + w + "[1 + (random() * 39)::int], " + w + "[1 + (random() * 39)::int]), "
                + "'newsletter', random() < 0.3, 'referrer', md5(random()::text)) "
                + "FROM generate_series(" + from + ", " + to + ") g");
        st.execute("INSERT INTO orders SELECT g, " + from + " + (random() * " + (BATCH - 1) + ")::bigint, gen_random_uuid(), "
                + "(ARRAY['pending','paid','shipped','delivered','returned','cancelled'])[1 + (random() * 5)::int], "
                + "round((random() * 2000)::numeric, 2), ts, CASE WHEN random() < 0.7 THEN ts + random() * interval '9 days' END, "
                + "jsonb_build_array(jsonb_build_object('sku', upper(substr(md5(random()::text), 1, 10)), 'qty', 1 + (random() * 4)::int, "
                + "'price', round((random() * 300)::numeric, 2)), jsonb_build_object('sku', upper(substr(md5(random()::text), 1, 10)), "
                + "'qty', 1 + (random() * 4)::int, 'price', round((random() * 300)::numeric, 2))), "
                + "CASE WHEN g % 3 = 0 THEN array_to_string(ARRAY(SELECT " + w + "[1 + (random() * 39)::int] "
                + "FROM generate_series(1, 4 + (g % 17))), ' ') || ' ' || md5(g::text) END "
                + "FROM (SELECT g, timestamptz '2020-01-01' + random() * interval '5 years' AS ts "
                + "FROM generate_series(" + 3 * from + ", " + (3 * to + 2) + ") g) s");
        st.execute("INSERT INTO attachments SELECT g, " + 3 * from + " + (random() * " + (3 * BATCH - 1) + ")::bigint, "
                + "sha256(g::text::bytea), (ARRAY['application/pdf','image/png','text/csv'])[1 + g % 3], "
                + "decode(md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text)"
                + " || md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text)"
                + " || repeat('00', (g % 64)::int), 'hex'), timestamptz '2020-01-01' + random() * interval '5 years' "
                + "FROM generate_series(" + from + ", " + to + ") g");
        st.execute("INSERT INTO events SELECT g, timestamptz '2024-01-01' + g * interval '37 ms', "
                + "(ARRAY['login','logout','view','add_to_cart','checkout','refund','search'])[1 + (random() * 6)::int], "
                + "CASE WHEN random() < 0.9 THEN gen_random_uuid() END, "
                + "jsonb_build_object('ip', '10.' || (random() * 255)::int || '.' || (random() * 255)::int || '.' "
                + "|| (random() * 255)::int, 'ms', (random() * 900)::int, 'path', '/' || " + w + "[1 + (random() * 39)::int] "
                + "|| '/' || (random() * 100000)::int, 'session', md5(random()::text)) "
                + "FROM generate_series(" + 4 * from + ", " + (4 * to + 3) + ") g");
    }

    private static long size(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
