package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** What retention kept and pruned. */
public record RetentionStatus(
        @JsonPropertyDescription("When retention last deleted a backup.")
        String lastPruneTime,
        @JsonPropertyDescription("Completed backups kept by the rules.")
        Integer kept,
        @JsonPropertyDescription("The most recently pruned backups, newest first (at most 20).")
        List<PrunedBackup> pruned,
        @JsonPropertyDescription("Archive bytes freed by pruning since the schedule was created.")
        Long prunedBytes,
        @JsonPropertyDescription("What retention did or why it is holding back, for people.")
        String message,
        @JsonPropertyDescription("The last error while pruning, if any.")
        String error) {
}
