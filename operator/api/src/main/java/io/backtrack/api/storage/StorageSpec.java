package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where archives are stored. S3-compatible object storage is the only kind today. */
public record StorageSpec(
        @Required @JsonPropertyDescription("An S3-compatible bucket.")
        S3Storage s3) {
}
