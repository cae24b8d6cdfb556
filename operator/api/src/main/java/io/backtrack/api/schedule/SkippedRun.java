package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A run that was due but not started. */
public record SkippedRun(
        @JsonPropertyDescription("When the run was due.")
        String scheduledTime,
        @JsonPropertyDescription("ConcurrencyForbid or MissedStartingDeadline.")
        String reason,
        @JsonPropertyDescription("What happened, for people.")
        String message) {
}
