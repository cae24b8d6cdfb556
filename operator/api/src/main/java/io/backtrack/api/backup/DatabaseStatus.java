package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the database looked like at the backup's snapshot. */
public record DatabaseStatus(
        @JsonPropertyDescription("Name of the database backed up, as the manifest records it.")
        String name,
        @JsonPropertyDescription("Version of the database server.")
        String serverVersion,
        @JsonPropertyDescription("Tables in the backup.")
        Integer tables,
        @JsonPropertyDescription("Rows in those tables (each counted without its inheritance children), counted in the "
                + "same snapshot as the dump; populated materialized views included.")
        Long rows,
        @JsonPropertyDescription("Large objects in the backup (whole-database backups only).")
        Long largeObjects,
        @JsonPropertyDescription("Objects in the backup's scope that a restore cannot verify: foreign tables (their rows "
                + "are on the remote server) and unpopulated materialized views; the manifest names them.")
        Integer unverified,
        @JsonPropertyDescription("Roles the database's objects are owned by or granted to, recorded in the roles "
                + "script beside the archive (a restore can create the missing ones); the manifest names them.")
        Integer roles) {
}
