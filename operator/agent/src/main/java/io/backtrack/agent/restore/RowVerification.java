package io.backtrack.agent.restore;

import io.backtrack.agent.concurrent.Futures;
import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.RowCounter;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.RestoreResult;
import io.backtrack.contract.result.RowCountMismatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Row counts of the restored tables and materialized views against the manifest's (each counted with
 * {@code ONLY}, as the backup counted them), and of large objects. A materialized view must exist; its count may
 * differ (logged), as a restore recomputes it from the restored tables: the archive holds its query, not its rows. Into a fresh database the large objects must
 * be exactly the backup's; in place, objects made after the backup stay, so at least the backup's must exist.
 */
record RowVerification(int tables, long rowsExpected, long rowsRestored, List<RowCountMismatch> mismatches) {
    /** How the large objects appear in a mismatch. */
    static final TableRef LARGE_OBJECTS = new TableRef("pg_catalog", "pg_largeobject_metadata");

    /** What a restore must reproduce: the tables it restores, and the large objects if it restores them all. */
    record Expected(List<TableRows> tables, Long largeObjects, boolean exactLargeObjects) {
        long rows() {
            return tables.stream().mapToLong(TableRows::rows).sum();
        }
    }

    /** The counts into the restore's result. */
    RestoreResult.Builder into(RestoreResult.Builder result) {
        return result.counts(tables, rowsExpected, rowsRestored, mismatches);
    }

    /** Rows from which a second connection pays for itself: counting a million rows takes a good part of a second. */
    private static final long ROWS_FOR_TWO_CONNECTIONS = 1_000_000;

    /**
     * Counts what {@code expected} names in {@code db}; a missing table is a mismatch with actual null. Large
     * restores are counted on two connections at once (each count is one backend's work), the largest tables first,
     * each to the connection with fewer rows so far.
     */
    static RowVerification count(PgTarget db, Expected expected) {
        List<TableRows> tables = expected.tables();
        int connections = expected.rows() >= ROWS_FOR_TWO_CONNECTIONS && tables.size() > 1
                && Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1;
        List<List<Integer>> shares = new ArrayList<>();
        long[] rows = new long[connections];
        for (int i = 0; i < connections; i++) {
            shares.add(new ArrayList<>());
        }
        List<Integer> largestFirst = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            largestFirst.add(i);
        }
        largestFirst.sort((a, b) -> Long.compare(tables.get(b).rows(), tables.get(a).rows()));
        for (int i : largestFirst) {
            int least = rows[0] <= rows[connections - 1] ? 0 : connections - 1;
            shares.get(least).add(i);
            rows[least] += tables.get(i).rows();
        }
        Long[] actual = new Long[tables.size()];
        List<CompletableFuture<Long>> counting = new ArrayList<>();
        for (int k = 0; k < connections; k++) {
            List<Integer> share = shares.get(k);
            boolean largeObjects = k == 0 && expected.largeObjects() != null;
            counting.add(CompletableFuture.supplyAsync(() -> countShare(db, tables, share, actual, largeObjects)));
        }
        Long largeObjects = null;
        for (CompletableFuture<Long> c : counting) {
            Long n = Futures.join(c);
            largeObjects = largeObjects != null ? largeObjects : n;
        }
        return of(expected, Arrays.asList(actual), largeObjects);
    }

    /** Counts the tables at {@code share} into {@code actual} on a connection of its own; the large objects too. */
    private static Long countShare(PgTarget db, List<TableRows> tables, List<Integer> share, Long[] actual,
                                   boolean largeObjects) {
        try (Connection c = PgConnections.open(db)) {
            for (int i : share) {
                TableRows t = tables.get(i);
                actual[i] = countIfPresent(c, new TableRef(t.schema(), t.name()));
            }
            return largeObjects ? RowCounter.largeObjects(c) : null;
        } catch (SQLException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot count the restored rows in \"" + db.database()
                    + "\" (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** Compares counts (in the order of {@code expected.tables()}) with the manifest's. */
    static RowVerification of(Expected expected, List<Long> actual, Long largeObjects) {
        List<RowCountMismatch> mismatches = new ArrayList<>();
        long restored = 0;
        for (int i = 0; i < expected.tables().size(); i++) {
            TableRows t = expected.tables().get(i);
            Long count = i < actual.size() ? actual.get(i) : null;
            if (count != null) {
                restored += count;
            }
            if (count == null || count != t.rows() && !t.materializedView()) {
                mismatches.add(new RowCountMismatch(t.schema(), t.name(), t.rows(), count));
            } else if (count != t.rows()) {
                // The archive holds a REFRESH, not the view's rows: its query ran again over the restored (and
                // verified) tables. The source's view was stale, or its query is not deterministic.
                StructuredLog.warn("restore.materialized-view-recomputed", "view", t.schema() + "." + t.name(),
                        "rowsAtBackup", t.rows(), "rowsRestored", count);
            }
        }
        Long expectedObjects = expected.largeObjects();
        if (expectedObjects != null && (largeObjects == null || (expected.exactLargeObjects()
                ? largeObjects.longValue() != expectedObjects : largeObjects < expectedObjects))) {
            mismatches.add(new RowCountMismatch(LARGE_OBJECTS.schema(), LARGE_OBJECTS.name(), expectedObjects,
                    largeObjects));
        }
        return new RowVerification(expected.tables().size(), expected.rows(), restored, mismatches);
    }

    /**
     * One query for psql's {@code \gset} inside the restore's own transaction, before COMMIT: sets
     * {@code backtrack_ok} (every count matches, and this is still the transaction that began the restore) and
     * {@code backtrack_report} (numbers only: no names, nothing psql could misread).
     */
    static String inTransactionSql(Expected expected) {
        StringBuilder values = new StringBuilder();
        List<TableRows> tables = expected.tables();
        for (int i = 0; i < tables.size(); i++) {
            TableRows t = tables.get(i);
            values.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(literal(t.schema()))
                    .append(", ").append(literal(t.name())).append(", ").append(t.rows()).append("::bigint, ")
                    .append(t.materializedView()).append(')');
        }
        String counts = tables.isEmpty()
                ? "SELECT NULL::int AS i, NULL::bigint AS actual, true AS ok WHERE false"
                : """
                SELECT e.i, c.actual, CASE WHEN e.refreshed THEN c.actual IS NOT NULL
                                           ELSE c.actual IS NOT DISTINCT FROM e.expected END AS ok
                  FROM (VALUES %s) AS e(i, s, t, expected, refreshed)
                 CROSS JOIN LATERAL (SELECT CASE
                   WHEN pg_catalog.to_regclass(pg_catalog.format('%%I.%%I', e.s, e.t)) IS NULL THEN NULL
                   ELSE ((pg_catalog.xpath('/row/c/text()', pg_catalog.query_to_xml(pg_catalog.format(
                     'SELECT count(*) AS c FROM ONLY %%I.%%I', e.s, e.t), false, true, '')))[1])::text::bigint
                   END AS actual) AS c""".formatted(values);
        String objects = expected.largeObjects() == null ? "NULL::bigint"
                : "(SELECT count(*) FROM pg_catalog.pg_largeobject_metadata)";
        String objectsOk = expected.largeObjects() == null ? "true"
                : objects + (expected.exactLargeObjects() ? " = " : " >= ") + expected.largeObjects();
        String sameTransaction = "pg_catalog.current_setting('" + InPlaceScript.XID_SETTING + "', true)"
                + " = pg_catalog.txid_current()::text";
        return """
                SELECT coalesce(bool_and(ok), true) AND %s AND %s AS backtrack_ok,
                       pg_catalog.json_build_object('sameTransaction', %s,
                         'counts', coalesce(pg_catalog.json_agg(actual ORDER BY i), '[]'::json),
                         'largeObjects', %s) AS backtrack_report
                  FROM (%s) AS counted""".formatted(objectsOk, sameTransaction, sameTransaction, objects, counts);
    }

    /**
     * A string literal in plain ASCII, whatever the session's client encoding (pg_restore sets the archive's):
     * other characters as Unicode escapes, which PostgreSQL 13 and later accept in any server encoding.
     */
    static String literal(String text) {
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return "'" + text.replace("'", "''") + "'";
        }
        StringBuilder escaped = new StringBuilder("U&'");
        text.codePoints().forEach(cp -> {
            if (cp == '\\') {
                escaped.append("\\\\");
            } else if (cp == '\'') {
                escaped.append("''");
            } else if (cp >= 0x20 && cp < 0x7f) {
                escaped.appendCodePoint(cp);
            } else {
                escaped.append(String.format("\\+%06X", cp));
            }
        });
        return escaped.append('\'').toString();
    }

    private static Long countIfPresent(Connection c, TableRef table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery(RowCounter.countSql(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String describe(RowCountMismatch m) {
        if (LARGE_OBJECTS.equals(new TableRef(m.schema(), m.name()))) {
            return "large objects: expected " + m.expected() + ", found " + m.actual();
        }
        return m.schema() + "." + m.name() + ": expected " + m.expected() + ", found "
                + (m.actual() == null ? "no table" : m.actual());
    }
}
