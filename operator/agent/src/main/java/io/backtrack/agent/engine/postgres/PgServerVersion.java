package io.backtrack.agent.engine.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The server's version: {@code server_version_num} (e.g. 150014) and the human {@code server_version}. */
public record PgServerVersion(int number, String text) {

    /** Major version for PostgreSQL 10 and later (the only ones with client tools in the agent image). */
    public int major() {
        return number / 10000;
    }

    public static PgServerVersion of(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, "
                     + "current_setting('server_version')")) {
            rs.next();
            String text = rs.getString(2);
            // Debian appends " (Debian 15.14-1.pgdg120+1)"; keep the plain number.
            int space = text.indexOf(' ');
            return new PgServerVersion(rs.getInt(1), space > 0 ? text.substring(0, space) : text);
        }
    }
}
