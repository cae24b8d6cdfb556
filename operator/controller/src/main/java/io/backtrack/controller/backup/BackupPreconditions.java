package io.backtrack.controller.backup;

import io.backtrack.api.backup.Backup;
import io.backtrack.controller.secrets.SecretCheck;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Optional;

/** What must hold before a backup Job is created: a valid spec and the Secrets it references. */
final class BackupPreconditions {
    private final SecretCheck secrets;

    BackupPreconditions(KubernetesClient client) {
        this.secrets = new SecretCheck(client);
    }

    Optional<Precondition> check(Backup backup) {
        List<String> problems = BackupValidator.problems(backup.getSpec());
        if (!problems.isEmpty()) {
            return Optional.of(new Precondition("InvalidSpec", String.join("; ", problems), false));
        }
        var db = backup.getSpec().database().credentialsSecret();
        Optional<String> missing = secrets.missing(backup.getMetadata().getNamespace(), db.name(), "database credentials",
                db.usernameKeyOrDefault(), db.passwordKeyOrDefault());
        if (missing.isEmpty()) {
            missing = storageSecretMissing(backup);
        }
        return missing.map(m -> new Precondition("SecretNotFound", m + "; the backup starts once it exists", true));
    }

    Optional<String> storageSecretMissing(Backup backup) {
        var s3 = backup.getSpec().storage().s3().credentialsSecret();
        return secrets.missing(backup.getMetadata().getNamespace(), s3.name(), "S3 credentials",
                s3.accessKeyIdKeyOrDefault(), s3.secretAccessKeyKeyOrDefault());
    }
}
