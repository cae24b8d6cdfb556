package io.backtrack.agent.manifest;

/** Row count of one table, counted in the dump's snapshot. */
public record TableRows(String schema, String name, long rows) {
}
