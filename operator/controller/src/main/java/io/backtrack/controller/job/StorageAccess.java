package io.backtrack.controller.job;

import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.args.AgentArgs;
import io.backtrack.contract.args.AgentEnv;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.List;

/** How every agent Job reaches the object store: flags for where it is, secretKeyRef env for the access key. */
public final class StorageAccess {
    private StorageAccess() {
    }

    /** {@code --endpoint --bucket --region}. */
    public static AgentArgs args(AgentArgs args, S3Storage s3) {
        return args.storage(s3.endpoint(), s3.bucket(), s3.regionOrDefault());
    }

    public static List<EnvVar> env(S3Storage s3) {
        var secret = s3.credentialsSecret();
        return List.of(
                AgentJobBuilder.fromSecret(AgentEnv.AWS_ACCESS_KEY_ID, secret.name(), secret.accessKeyIdKeyOrDefault()),
                AgentJobBuilder.fromSecret(AgentEnv.AWS_SECRET_ACCESS_KEY, secret.name(),
                        secret.secretAccessKeyKeyOrDefault()));
    }
}
