package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the database looked like at the backup's snapshot. */
public record DatabaseStatus(
        @JsonPropertyDescription("Version of the database server.")
        String serverVersion,
        @JsonPropertyDescription("Tables in the backup.")
        Integer tables,
        @JsonPropertyDescription("Rows in those tables, counted in the same snapshot as the dump.")
        Long rows) {
}
