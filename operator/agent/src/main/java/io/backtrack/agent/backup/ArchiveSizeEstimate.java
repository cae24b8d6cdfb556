package io.backtrack.agent.backup;

import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.ManifestScope;
import io.backtrack.contract.wire.ArchiveCompression;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * How large the archive is likely to get, for sizing its upload's parts (nothing else depends on it): the on-disk
 * size of the dumped tables (heap and TOAST, no indexes), and of the large objects when the whole database is
 * dumped. A dump is text, larger than the binary on disk; compression usually more than makes up for that, so the
 * table size stands for a compressed archive and twice it for an uncompressed one. Wrong either way is harmless:
 * the upload grows its parts when the archive turns out larger, and an estimate only makes them larger sooner.
 */
final class ArchiveSizeEstimate {
    private static final String TABLE_BYTES = """
            SELECT coalesce(sum(pg_catalog.pg_table_size(c.oid)), 0)
              FROM unnest(?::text[], ?::text[]) AS t(nsp, rel)
              JOIN pg_catalog.pg_namespace n ON n.nspname = t.nsp
              JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.rel""";
    private static final String LARGE_OBJECT_BYTES = "SELECT pg_catalog.pg_table_size('pg_catalog.pg_largeobject')";

    private ArchiveSizeEstimate() {
    }

    /** Bytes, or 0 when the catalog cannot tell (the upload then sizes its parts as it goes). */
    static long of(Connection connection, List<TableRef> tables, ManifestScope scope, ArchiveCompression compression) {
        if (scope.schemaOnly()) {
            return 0;
        }
        try {
            long bytes = query(connection, TABLE_BYTES, tables);
            if (scope.tables().isEmpty() && scope.schemas().isEmpty()) {
                bytes += query(connection, LARGE_OBJECT_BYTES, null);
            }
            return compression == ArchiveCompression.NONE ? 2 * bytes : bytes;
        } catch (SQLException e) {
            StructuredLog.warn("backup.size-estimate-failed", "error", e.getMessage());
            return 0;
        }
    }

    private static long query(Connection connection, String sql, List<TableRef> tables) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            if (tables != null) {
                st.setArray(1, connection.createArrayOf("text", tables.stream().map(TableRef::schema).toArray()));
                st.setArray(2, connection.createArrayOf("text", tables.stream().map(TableRef::name).toArray()));
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
