package io.backtrack.contract.result;

/**
 * A table whose restored row count differs from the manifest's; {@code actual} is null when the table is missing.
 * Large objects appear as {@code pg_catalog.pg_largeobject_metadata}.
 */
public record RowCountMismatch(String schema, String name, Long expected, Long actual) {
}
