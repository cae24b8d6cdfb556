package io.backtrack.agent.manifest;

/**
 * An object in the backup's scope whose content a restore cannot check against the backup: a foreign table
 * (its rows live on another server and are not in the archive) or a materialized view that was never populated.
 */
public record UnverifiedObject(String schema, String name, String kind, String reason) {
    public static final String FOREIGN_TABLE = "foreignTable";
}
