package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A REPEATABLE READ, READ ONLY transaction whose snapshot is exported for {@code pg_dump --snapshot}: the row
 * counts taken here and the archive describe the same instant. The transaction must stay open until pg_dump
 * has finished, so this object lives as long as the dump.
 */
public final class SnapshotSession implements AutoCloseable {
    private static final String USER_RELATIONS = """
            SELECT n.nspname, c.relname, c.relkind, c.relispopulated
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'm', 'f')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                                  AND d.deptype = 'e')
             ORDER BY 1, 2""";

    private final Connection connection;
    private final String snapshotId;

    private SnapshotSession(Connection connection, String snapshotId) {
        this.connection = connection;
        this.snapshotId = snapshotId;
    }

    public static SnapshotSession begin(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
            rs.next();
            return new SnapshotSession(connection, rs.getString(1));
        }
    }

    public PgServerVersion serverVersion() {
        try {
            return PgServerVersion.of(connection);
        } catch (SQLException e) {
            throw new AgentFailure(Reason.DumpFailed, "cannot read the server version: " + e.getMessage(), e);
        }
    }

    public String snapshotId() {
        return snapshotId;
    }

    /**
     * User tables, materialized views and foreign tables (no catalogs, nothing an extension owns), ordered by
     * schema and name. A partitioned table holds no rows itself (its partitions are tables here).
     */
    public List<Relation> userRelations() throws SQLException {
        List<Relation> relations = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(USER_RELATIONS)) {
            while (rs.next()) {
                relations.add(new Relation(new TableRef(rs.getString(1), rs.getString(2)),
                        Relation.Kind.of(rs.getString(3)), rs.getBoolean(4)));
            }
        }
        return relations;
    }

    public Set<String> schemas() throws SQLException {
        Set<String> schemas = new HashSet<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        return schemas;
    }

    public List<TableRows> countRows(List<Relation> relations) {
        return RowCounter.count(connection, relations);
    }

    public long largeObjects() {
        try {
            return RowCounter.largeObjects(connection);
        } catch (SQLException e) {
            throw new AgentFailure(Reason.DumpFailed, "cannot count the large objects: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // read-only: nothing to undo
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    /** Counting failures (e.g. no SELECT privilege) are dump failures: pg_dump would fail the same way. */
    static AgentFailure countFailed(TableRef table, SQLException e) {
        return new AgentFailure(Reason.DumpFailed, "cannot count rows of " + table.display() + ": " + e.getMessage()
                + "; the backup user needs SELECT on every table in scope", e);
    }
}
