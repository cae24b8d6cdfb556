package io.backtrack.agent.engine.postgres;

/** A PostgreSQL database to connect to. {@link #toString()} leaves the password out. */
public record PgTarget(String host, int port, String database, String username, String password, PgTls tls) {

    /** A server reached with libpq's default TLS (prefer). */
    public PgTarget(String host, int port, String database, String username, String password) {
        this(host, port, database, username, password, PgTls.DEFAULT);
    }

    public PgTarget withDatabase(String other) {
        return new PgTarget(host, port, other, username, password, tls);
    }

    /** {@code host:port}, as messages name the server. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * The one argument the client tools get: {@code --dbname=} with a connection string whose every value is
     * quoted, so a database or host name is always taken literally (a name like {@code dbname=x host=y} can
     * never point the tools, and the password in PGPASSWORD, at another server). The TLS settings go in it too, so
     * the tools check the server exactly as the agent's JDBC connections do, whatever PGSSL* they inherit.
     */
    public String toolDbnameArgument() {
        StringBuilder conninfo = new StringBuilder("--dbname=host=" + conninfoValue(host) + " port="
                + conninfoValue(Integer.toString(port)) + " user=" + conninfoValue(username) + " dbname="
                + conninfoValue(database));
        tls.libpqParameters().forEach((k, v) -> conninfo.append(' ').append(k).append('=').append(conninfoValue(v)));
        return conninfo.toString();
    }

    static String conninfoValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    public String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/";
    }

    @Override
    public String toString() {
        return "PgTarget[" + address() + "/" + database + " as " + username + "]";
    }
}
