package io.backtrack.controller.job;

import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.storage.S3Storage;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.List;

/** How every agent Job reaches a backup folder: CLI flags for the location, secretKeyRef env for the keys. */
public final class StorageAccess {
    private StorageAccess() {
    }

    public static List<String> args(S3Storage s3, String key) {
        return List.of("--endpoint", s3.endpoint(), "--bucket", s3.bucket(), "--region", s3.regionOrDefault(), "--key", key);
    }

    public static List<EnvVar> env(S3Storage s3) {
        var secret = s3.credentialsSecret();
        return List.of(
                AgentJobBuilder.fromSecret("AWS_ACCESS_KEY_ID", secret.name(), secret.accessKeyIdKeyOrDefault()),
                AgentJobBuilder.fromSecret("AWS_SECRET_ACCESS_KEY", secret.name(), secret.secretAccessKeyKeyOrDefault()));
    }

    /** The database user and password, as the agent and libpq expect them. */
    public static List<EnvVar> databaseEnv(DatabaseCredentials credentials) {
        return List.of(
                AgentJobBuilder.fromSecret("PGUSER", credentials.name(), credentials.usernameKeyOrDefault()),
                AgentJobBuilder.fromSecret("PGPASSWORD", credentials.name(), credentials.passwordKeyOrDefault()));
    }
}
