package io.backtrack.api.restore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.storage.StorageSpec;
import io.fabric8.generator.annotation.Required;

/** A backup straight from storage, for a cluster where its Backup resource does not exist (disaster recovery). */
public record RestoreSource(
        @Required @JsonPropertyDescription("The bucket holding the backup.")
        StorageSpec storage,
        @Required @JsonPropertyDescription("The backup's folder in the bucket (its manifest.json is read), e.g. prod/shop/orders-nightly-20261122-0200.")
        String key) {
}
