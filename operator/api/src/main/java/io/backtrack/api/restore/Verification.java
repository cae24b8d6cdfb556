package io.backtrack.api.restore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** The proof: restored row counts against the manifest's. */
public record Verification(
        @JsonPropertyDescription("Tables compared.")
        Integer tables,
        @JsonPropertyDescription("Rows the manifest recorded for them.")
        Long rowsExpected,
        @JsonPropertyDescription("Rows found after the restore.")
        Long rowsRestored,
        @JsonPropertyDescription("Tables whose counts differ; empty on success.")
        List<TableMismatch> mismatches,
        @JsonPropertyDescription("Objects of the backup that cannot be verified (foreign tables, unpopulated "
                + "materialized views); its manifest names them.")
        Integer unverified) {
}
