package io.backtrack.api.schedule;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.backup.BackupSpec;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The Backup each run creates. */
// On the type, not the component: a record component's annotation reaches the generator twice (field and accessor).
@ValidationRule(value = "!has(self.spec.origin)",
        message = "backupTemplate.spec.origin is set by the operator only, on Backups a BackupStorage's sync found")
public record BackupTemplate(
        @JsonPropertyDescription("Labels and annotations of the created Backups.")
        BackupTemplateMetadata metadata,
        @Required @JsonPropertyDescription("Spec of the created Backups. deletionPolicy defaults to Delete here, so pruning removes the archive.")
        BackupSpec spec) {
}
