package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A BackupStorage in the same namespace, used instead of an inline storage. */
public record StorageRef(
        @Required @JsonPropertyDescription("Name of the BackupStorage in this namespace.")
        String name) {
}
