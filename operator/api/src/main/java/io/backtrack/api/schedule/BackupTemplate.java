package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.backup.BackupSpec;
import io.fabric8.generator.annotation.Required;

/** The Backup each run creates. */
public record BackupTemplate(
        @JsonPropertyDescription("Labels and annotations of the created Backups.")
        BackupTemplateMetadata metadata,
        @Required @JsonPropertyDescription("Spec of the created Backups. deletionPolicy defaults to Delete here, so pruning removes the archive.")
        BackupSpec spec) {
}
