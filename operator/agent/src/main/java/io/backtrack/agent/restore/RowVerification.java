package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Row counts of the restored tables against the manifest's. */
record RowVerification(int tables, long rowsExpected, long rowsRestored, List<TableMismatch> mismatches) {

    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("tables", tables);
        f.put("rowsExpected", rowsExpected);
        f.put("rowsRestored", rowsRestored);
        f.put("mismatches", mismatches);
        return f;
    }

    /** Counts every table in {@code expected} in {@code db}; a missing table is a mismatch with actual null. */
    static RowVerification count(PgTarget db, List<TableRows> expected) {
        List<TableMismatch> mismatches = new ArrayList<>();
        long rowsExpected = 0;
        long restored = 0;
        try (Connection c = PgConnections.open(db)) {
            for (TableRows t : expected) {
                rowsExpected += t.rows();
                Long actual = countIfPresent(c, new TableRef(t.schema(), t.name()));
                if (actual != null) {
                    restored += actual;
                }
                if (actual == null || actual != t.rows()) {
                    mismatches.add(new TableMismatch(t.schema(), t.name(), t.rows(), actual));
                }
            }
        } catch (SQLException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot count restored rows in \"" + db.database() + "\": "
                    + e.getMessage(), e);
        }
        return new RowVerification(expected.size(), rowsExpected, restored, mismatches);
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
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.quoted())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String describe(TableMismatch m) {
        return m.schema() + "." + m.name() + ": expected " + m.expected() + ", found "
                + (m.actual() == null ? "no table" : m.actual());
    }
}
