package io.backtrack.agent.engine.postgres;

import java.util.Objects;

/** A table by schema and name, exactly as stored in the catalog (no case folding). */
public record TableRef(String schema, String name) {

    /*
     * equals and hashCode written out: a record's generated ones are built from method handles at their first call,
     * about twenty generated classes on every backup's way to its dump (a TableRef is a map key there).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof TableRef t && Objects.equals(schema, t.schema) && Objects.equals(name, t.name);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(schema) + Objects.hashCode(name);
    }

    /** {@code "schema"."name"}: for SQL, and for pg_dump {@code -t}, where quoted patterns are literal. */
    public String quoted() {
        return PgConnections.quoteIdent(schema) + "." + PgConnections.quoteIdent(name);
    }

    public String display() {
        return schema + "." + name;
    }

    /** True if the user's name matches: {@code schema.table} exactly, or a bare {@code table} in any schema. */
    public boolean matches(String given) {
        int dot = given.indexOf('.');
        if (dot >= 0 && given.substring(0, dot).equals(schema) && given.substring(dot + 1).equals(name)) {
            return true;
        }
        return given.equals(name);
    }
}
