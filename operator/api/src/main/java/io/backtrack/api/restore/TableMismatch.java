package io.backtrack.api.restore;

/** A table whose restored row count differs from the manifest's. */
public record TableMismatch(String schema, String name, Long expected, Long actual) {
}
