package io.backtrack.agent.engine.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections with short timeouts and classified failures. */
public final class PgConnections {
    private PgConnections() {
    }

    public static Connection open(PgTarget target) {
        Properties props = new Properties();
        props.setProperty("user", target.username());
        if (target.password() != null) {
            props.setProperty("password", target.password());
        }
        props.setProperty("ApplicationName", "backtrack-agent");
        props.setProperty("connectTimeout", "15");
        props.setProperty("loginTimeout", "20");
        props.setProperty("tcpKeepAlive", "true");
        // Server DETAIL lines can carry row values and statement parameters: keep them out of exception text.
        props.setProperty("logServerErrorDetail", "false");
        target.tls().addTo(props);
        try {
            return DriverManager.getConnection(target.jdbcUrl() + encode(target.database()), props);
        } catch (SQLException e) {
            throw PostgresErrors.classifyConnect(e, target);
        }
    }

    private static String encode(String database) {
        return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code "name"} with embedded quotes doubled: safe to splice into SQL as an identifier. */
    public static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
