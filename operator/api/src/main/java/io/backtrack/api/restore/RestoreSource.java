package io.backtrack.api.restore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.api.storage.StorageSpec;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A backup straight from storage, for a cluster where its Backup resource does not exist (disaster recovery). */
@ValidationRule(value = "has(self.storage) != has(self.storageRef)", message = RestoreSource.ONE_STORAGE)
public record RestoreSource(
        @JsonPropertyDescription("The bucket holding the backup. Or: storageRef.")
        StorageSpec storage,
        @JsonPropertyDescription("Or: a BackupStorage in this namespace whose bucket holds the backup.")
        StorageRef storageRef,
        @Required @JsonPropertyDescription("The backup's folder in the bucket (its manifest.json is read), e.g. prod/shop/orders-nightly-20261122-0200.")
        String key) {
    public static final String ONE_STORAGE = "set exactly one of source.storage (a bucket, inline) and "
            + "source.storageRef (a BackupStorage in this namespace)";
}
