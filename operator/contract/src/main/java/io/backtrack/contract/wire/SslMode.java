package io.backtrack.contract.wire;

/**
 * How the agent protects its connections to PostgreSQL: the agent's {@code --sslmode}, libpq's {@code sslmode}
 * (and {@code PGSSLMODE}), a resource's {@code database.tls.mode}, spelled as libpq spells them so that the JDBC
 * driver and pg_dump/pg_restore/psql are told the same thing.
 */
public enum SslMode implements WireValue {
    /** No TLS at all. */
    DISABLE("disable"),
    /** TLS when the server offers it, no certificate check: libpq's and the JDBC driver's default. */
    PREFER("prefer"),
    /** TLS or no connection, no certificate check. */
    REQUIRE("require"),
    /** TLS with the server's certificate checked against the CA bundle; the host name is not compared. */
    VERIFY_CA("verify-ca"),
    /** TLS with the server's certificate checked against the CA bundle and its name against the host connected to. */
    VERIFY_FULL("verify-full");

    /** The default, as libpq's: a server without TLS still works, and a server with it is talked to over TLS. */
    public static final String DEFAULT_VALUE = "prefer";

    private final String wireName;

    SslMode(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** True for the modes that check the server's certificate, and so need a CA bundle. */
    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }

    public static SslMode parse(String value) {
        return WireValue.parse(SslMode.class, value, "sslmode");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
