package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.manifest.TableRows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact row counts, the numbers a restore is verified against. {@code ONLY}: a legacy inheritance parent
 * counts its own rows, not its children's, which are counted as tables of their own.
 */
public final class RowCounter {
    private RowCounter() {
    }

    /** The count query of one relation, as the backup and every restore check run it. */
    public static String countSql(TableRef relation) {
        return "SELECT count(*) FROM ONLY " + relation.quoted();
    }

    public static List<TableRows> count(Connection connection, List<Relation> relations) {
        List<TableRows> rows = new ArrayList<>(relations.size());
        for (Relation relation : relations) {
            rows.add(relation.counted(countOne(connection, relation.ref())));
        }
        return rows;
    }

    public static long countOne(Connection connection, TableRef table) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(countSql(table))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw SnapshotSession.countFailed(table, e);
        }
    }

    /** Large objects in the database (pg_largeobject_metadata is readable by every role). */
    public static long largeObjects(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_catalog.pg_largeobject_metadata")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
