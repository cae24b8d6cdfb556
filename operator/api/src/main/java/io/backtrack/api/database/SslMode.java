package io.backtrack.api.database;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the agent protects its connections to the database server, as libpq's sslmode. */
public enum SslMode {
    /** No TLS. */
    disable,
    /** TLS when the server offers it, without a certificate check (libpq's default). */
    prefer,
    /** TLS or no connection, without a certificate check. */
    require,
    /** TLS with the server's certificate checked against caSecret; its host name is not compared. */
    @JsonProperty("verify-ca")
    verifyCa,
    /** TLS with the server's certificate checked against caSecret and its name against host. */
    @JsonProperty("verify-full")
    verifyFull;

    /** As libpq, the agent and the CRD spell it. */
    public String wireName() {
        try {
            JsonProperty p = SslMode.class.getField(name()).getAnnotation(JsonProperty.class);
            return p == null ? name() : p.value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
