package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Map;

/** Labels and annotations put on every Backup a schedule creates. The schedule's own metadata is never copied. */
public record BackupTemplateMetadata(
        @JsonPropertyDescription("Labels of the created Backups, next to backtrack.io/schedule and app.kubernetes.io/managed-by.")
        Map<String, String> labels,
        @JsonPropertyDescription("Annotations of the created Backups.")
        Map<String, String> annotations) {
}
