package io.backtrack.e2e.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of a database, for comparing a restore with its original (never compare dump bytes: they differ
 * run to run). Per user table ({@code schema.table}): row count and the md5 of its rows' text forms in sorted
 * order, so two databases with the same data have equal fingerprints whatever the physical row order.
 */
public record DatabaseFingerprint(Map<String, Long> rowCounts, Map<String, String> contentHashes) {

    public static DatabaseFingerprint of(PostgresServer server, String db) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> hashes = new TreeMap<>();
        try (Connection c = server.connect(db); Statement st = c.createStatement()) {
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                       AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1, 2""")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] t : tables) {
                String qualified = PostgresServer.quote(t[0]) + "." + PostgresServer.quote(t[1]);
                try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(md5(string_agg(r::text, E'\\n' "
                        + "ORDER BY r::text)), '') FROM " + qualified + " r")) {
                    rs.next();
                    counts.put(t[0] + "." + t[1], rs.getLong(1));
                    hashes.put(t[0] + "." + t[1], rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fingerprint " + db + ": " + e.getMessage(), e);
        }
        return new DatabaseFingerprint(java.util.Collections.unmodifiableMap(counts),
                java.util.Collections.unmodifiableMap(hashes));
    }

    public long totalRows() {
        return rowCounts.values().stream().mapToLong(Long::longValue).sum();
    }
}
