package io.backtrack.api.drill;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How one check of a drill went. */
public record DrillCheckStatus(
        @JsonPropertyDescription("The check's name.")
        String name,
        @JsonPropertyDescription("True when the value met the expectation.")
        Boolean ok,
        @JsonPropertyDescription("The query's value (first column of the first row, cut to 64 characters).")
        String value,
        @JsonPropertyDescription("What was expected.")
        String expect,
        @JsonPropertyDescription("Why the query itself failed (SQLSTATE and the server's words), if it did.")
        String error) {
}
