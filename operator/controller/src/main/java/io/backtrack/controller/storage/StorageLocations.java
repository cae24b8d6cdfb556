package io.backtrack.controller.storage;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.controller.job.EncryptionAccess;
import io.backtrack.controller.status.Precondition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;

/**
 * The bucket a Backup or Restore uses: its inline {@code storage.s3}, or the {@code s3} of the BackupStorage its
 * {@code storageRef} names, read when the work starts (a BackupStorage is never copied into the resource, so a
 * credentials rotation on it reaches every Backup that names it), with the client-side encryption it asks for.
 */
public final class StorageLocations {
    private final KubernetesClient client;

    public StorageLocations(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Either the bucket (with the client-side encryption its BackupStorage asks for, null for an inline storage or
     * none), or why there is none yet (never both).
     */
    public record Resolution(S3Storage s3, EncryptionSpec encryption, Precondition problem) {
        static Resolution of(S3Storage s3, EncryptionSpec encryption) {
            return new Resolution(s3, encryption, null);
        }

        static Resolution refused(ConditionReason reason, String message, boolean retryable) {
            return new Resolution(null, null, new Precondition(reason, message, retryable));
        }
    }

    /**
     * @param field    how the spec names the two fields, for messages: {@code storage} or {@code source.storage}
     * @param waiting  what waits for a missing BackupStorage, e.g. "the backup starts once it exists"
     */
    public Resolution resolve(String namespace, StorageSpec inline, StorageRef ref, String field, String waiting) {
        if ((inline == null) == (ref == null)) {
            return Resolution.refused(ConditionReason.InvalidSpec, "set exactly one of " + field + " (a bucket, inline)"
                    + " and " + field + "Ref (a BackupStorage in this namespace)", false);
        }
        if (inline != null) {
            return Resolution.of(inline.s3(), null);
        }
        if (ref.name() == null || ref.name().isBlank()) {
            return Resolution.refused(ConditionReason.InvalidSpec, field + "Ref.name is required", false);
        }
        BackupStorage storage = client.resources(BackupStorage.class).inNamespace(namespace).withName(ref.name()).get();
        if (storage == null) {
            return Resolution.refused(ConditionReason.StorageNotFound, "BackupStorage " + namespace + "/" + ref.name()
                    + " (" + field + "Ref) does not exist; " + waiting, true);
        }
        List<String> problems = new ArrayList<>(
                S3Checks.problems(storage.getSpec() == null ? null : storage.getSpec().s3(), "s3"));
        if (storage.getSpec() != null) {
            problems.addAll(EncryptionAccess.problems(storage.getSpec().encryption(), "encryption"));
        }
        if (!problems.isEmpty()) {
            return Resolution.refused(ConditionReason.InvalidSpec, "BackupStorage " + namespace + "/" + ref.name()
                    + " is not valid: " + String.join("; ", problems) + "; " + waiting + " once it is fixed", true);
        }
        return Resolution.of(storage.getSpec().s3(), storage.getSpec().encryption());
    }
}
