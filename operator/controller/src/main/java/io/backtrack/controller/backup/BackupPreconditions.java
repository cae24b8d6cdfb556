package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.controller.job.EncryptionAccess;
import io.backtrack.controller.naming.LabelValues;
import io.backtrack.controller.secrets.SecretCheck;
import io.backtrack.controller.status.Precondition;
import io.backtrack.controller.storage.StorageLocations;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What must hold before a backup Job is created: a valid spec, its bucket (inline or its BackupStorage) and the
 * encryption that applies (its own, else its BackupStorage's), the Secrets it references, no Restore of its database.
 */
final class BackupPreconditions {
    private final SecretCheck secrets;
    private final StorageLocations storages;

    BackupPreconditions(KubernetesClient client) {
        this.secrets = new SecretCheck(client);
        this.storages = new StorageLocations(client);
    }

    /**
     * Either the bucket the backup writes to and the encryption it applies (null: none), when nothing stops it, or
     * what does.
     */
    record Checked(S3Storage storage, EncryptionSpec encryption, Optional<Precondition> problem) {
        static Checked refused(Precondition problem) {
            return new Checked(null, null, Optional.of(problem));
        }
    }

    /** {@code restores}: the Restores in the watched namespaces, from the Backup controller's informer cache. */
    Checked check(Backup backup, Stream<Restore> restores) {
        List<String> problems = BackupValidator.problems(backup.getSpec());
        if (!problems.isEmpty()) {
            return Checked.refused(new Precondition(ConditionReason.InvalidSpec, String.join("; ", problems), false));
        }
        StorageLocations.Resolution storage = storage(backup, "the backup starts once it exists");
        if (storage.problem() != null) {
            return Checked.refused(storage.problem());
        }
        var db = backup.getSpec().database();
        Optional<String> missing = secrets.missingForDatabase(backup.getMetadata().getNamespace(), db.credentialsSecret(),
                db.tls(), "database");
        if (missing.isEmpty()) {
            missing = storageSecretMissing(backup, storage.s3());
        }
        EncryptionSpec encryption = EncryptionAccess.effective(backup.getSpec().encryption(), storage.encryption());
        if (missing.isEmpty()) {
            missing = secrets.missingForEncryption(backup.getMetadata().getNamespace(), encryption);
        }
        if (missing.isPresent()) {
            return Checked.refused(new Precondition(ConditionReason.SecretNotFound,
                    missing.get() + "; the backup starts once it exists", true));
        }
        return new Checked(storage.s3(), encryption, restoreInProgress(backup, restores));
    }

    /** The bucket of the Backup: its inline storage, or its BackupStorage's as it is now. */
    StorageLocations.Resolution storage(Backup backup, String waiting) {
        return storages.resolve(backup.getMetadata().getNamespace(), backup.getSpec().storage(),
                backup.getSpec().storageRef(), "storage", waiting);
    }

    /** A backup never reads a database while a Restore rewrites it; the Restore's own safety backup excepted. */
    private static Optional<Precondition> restoreInProgress(Backup backup, Stream<Restore> restores) {
        String address = backup.getSpec().database().address();
        String ownRestore = LabelValues.nameIn(backup, BacktrackApi.RESTORE_LABEL);
        return restores.filter(r -> r.getStatus() != null && r.getStatus().phase() != null && !r.getStatus().phase().isTerminal())
                .filter(r -> address.equals(r.getStatus().target()))
                .filter(r -> !(r.getMetadata().getNamespace().equals(backup.getMetadata().getNamespace())
                        && r.getMetadata().getName().equals(ownRestore)))
                .findFirst()
                .map(r -> new Precondition(ConditionReason.RestoreInProgress, "Restore " + r.getMetadata().getNamespace() + "/"
                        + r.getMetadata().getName() + " is restoring " + address + "; this backup starts when it finishes", true));
    }

    Optional<String> storageSecretMissing(Backup backup, S3Storage storage) {
        return secrets.missingForStorage(backup.getMetadata().getNamespace(), storage);
    }
}
