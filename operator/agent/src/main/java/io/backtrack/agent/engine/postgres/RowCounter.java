package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.manifest.TableRows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Exact row counts ({@code count(*)}), the numbers a restore is verified against. */
public final class RowCounter {
    private RowCounter() {
    }

    public static List<TableRows> count(Connection connection, List<TableRef> tables) {
        List<TableRows> rows = new ArrayList<>(tables.size());
        for (TableRef table : tables) {
            rows.add(new TableRows(table.schema(), table.name(), countOne(connection, table)));
        }
        return rows;
    }

    public static long countOne(Connection connection, TableRef table) {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.quoted())) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw SnapshotSession.countFailed(table, e);
        }
    }
}
