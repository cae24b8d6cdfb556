package io.backtrack.api.drill;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One check of a drill, as the schedule records it. */
public record DrillCheckRecord(
        @JsonPropertyDescription("The check's name.")
        String name,
        @JsonPropertyDescription("True when the value met the expectation.")
        Boolean ok,
        @JsonPropertyDescription("The query's value.")
        String value) {
}
