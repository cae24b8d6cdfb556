package io.backtrack.agent.restore;

/** A table whose restored row count differs from the manifest; {@code actual} is null if the table is missing. */
public record TableMismatch(String schema, String name, long expected, Long actual) {
}
