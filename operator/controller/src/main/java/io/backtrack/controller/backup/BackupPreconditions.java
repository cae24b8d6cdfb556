package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.restore.Restore;
import io.backtrack.controller.naming.LabelValues;
import io.backtrack.controller.secrets.SecretCheck;
import io.backtrack.controller.status.Precondition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What must hold before a backup Job is created: a valid spec, the Secrets it references, no Restore of its database. */
final class BackupPreconditions {
    private final SecretCheck secrets;

    BackupPreconditions(KubernetesClient client) {
        this.secrets = new SecretCheck(client);
    }

    /** {@code restores}: the Restores in the watched namespaces, from the Backup controller's informer cache. */
    Optional<Precondition> check(Backup backup, Stream<Restore> restores) {
        List<String> problems = BackupValidator.problems(backup.getSpec());
        if (!problems.isEmpty()) {
            return Optional.of(new Precondition(ConditionReason.InvalidSpec, String.join("; ", problems), false));
        }
        var db = backup.getSpec().database().credentialsSecret();
        Optional<String> missing = secrets.missing(backup.getMetadata().getNamespace(), db.name(), "database credentials",
                db.usernameKeyOrDefault(), db.passwordKeyOrDefault());
        if (missing.isEmpty()) {
            missing = storageSecretMissing(backup);
        }
        if (missing.isPresent()) {
            return missing.map(m -> new Precondition(ConditionReason.SecretNotFound, m + "; the backup starts once it exists",
                    true));
        }
        return restoreInProgress(backup, restores);
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

    Optional<String> storageSecretMissing(Backup backup) {
        var s3 = backup.getSpec().storage().s3().credentialsSecret();
        return secrets.missing(backup.getMetadata().getNamespace(), s3.name(), "S3 credentials",
                s3.accessKeyIdKeyOrDefault(), s3.secretAccessKeyKeyOrDefault());
    }
}
