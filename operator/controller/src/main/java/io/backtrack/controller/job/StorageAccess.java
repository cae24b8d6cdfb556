package io.backtrack.controller.job;

import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.tls.CaSecret;
import io.backtrack.contract.args.AgentArgs;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentMounts;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.List;
import java.util.Map;

/**
 * How every agent Job reaches the object store: flags for where it is and how to address and trust it, secretKeyRef
 * env for a static access key (none: the Pod's cloud identity), the CA bundle mounted from its Secret.
 */
public final class StorageAccess {
    static final String CA_VOLUME = "storage-ca";

    private StorageAccess() {
    }

    /**
     * {@code --endpoint --bucket --region}, {@code --storage-ca-file}, {@code --virtual-host-style}, and {@code --sse}
     * when the storage asks for server-side encryption.
     */
    public static AgentArgs args(AgentArgs args, S3Storage s3) {
        args.storage(s3.endpoint(), s3.bucket(), s3.regionOrDefault())
                .storageAccess(s3.caSecret() == null ? null : AgentMounts.STORAGE_CA_FILE, s3.pathStyle());
        return s3.sse() == null || s3.sse().type() == null ? args
                : args.sse(s3.sse().type().name(), s3.sse().kmsKeyId());
    }

    /** The access key's env; none without credentialsSecret, when the agent finds the Pod's cloud identity. */
    public static List<EnvVar> env(S3Storage s3) {
        var secret = s3.credentialsSecret();
        if (secret == null) {
            return List.of();
        }
        return List.of(
                AgentJobBuilder.fromSecret(AgentEnv.AWS_ACCESS_KEY_ID, secret.name(), secret.accessKeyIdKeyOrDefault()),
                AgentJobBuilder.fromSecret(AgentEnv.AWS_SECRET_ACCESS_KEY, secret.name(),
                        secret.secretAccessKeyKeyOrDefault()));
    }

    /** The CA bundle, when there is one. */
    public static List<SecretMount> mounts(S3Storage s3) {
        CaSecret ca = s3.caSecret();
        return ca == null ? List.of()
                : List.of(new SecretMount(CA_VOLUME, ca.name(), Map.of(ca.keyOrDefault(), AgentMounts.STORAGE_CA_FILE)));
    }
}
