package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A backup that retention deleted, and the rule that let it go. */
public record PrunedBackup(
        @JsonPropertyDescription("Name of the deleted Backup.")
        String name,
        @JsonPropertyDescription("Its folder in the bucket.")
        String key,
        @JsonPropertyDescription("When it completed (or failed).")
        String completedAt,
        @JsonPropertyDescription("Size of its archive in bytes.")
        Long sizeBytes,
        @JsonPropertyDescription("Why it was pruned, e.g. \"beyond keepLast 2\", \"ttl 720h expired\".")
        String reason,
        @JsonPropertyDescription("When it was pruned.")
        String prunedAt) {
}
