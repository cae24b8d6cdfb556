package io.backtrack.agent.engine.postgres;

/** A PostgreSQL database to connect to. {@link #toString()} leaves the password out. */
public record PgTarget(String host, int port, String database, String username, String password) {

    public PgTarget withDatabase(String other) {
        return new PgTarget(host, port, other, username, password);
    }

    /** {@code host:port}, as messages name the server. */
    public String address() {
        return host + ":" + port;
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
