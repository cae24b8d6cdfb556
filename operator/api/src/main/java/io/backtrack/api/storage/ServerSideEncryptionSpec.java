package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Server-side encryption the object store applies to every object the agent writes (archive, manifest, probe object),
 * passed through as the S3 request headers {@code x-amz-server-side-encryption} (and its KMS key id). Reading needs
 * nothing: the store decrypts for whoever may read. Stores without it may refuse or ignore the headers.
 */
@ValidationRule(value = "!has(self.kmsKeyId) || self.type == 'KMS'", message = ServerSideEncryptionSpec.KEY_ONLY_FOR_KMS)
public record ServerSideEncryptionSpec(
        @Required @JsonPropertyDescription("S3 (keys managed by the store, AES256) or KMS (a KMS key).")
        ServerSideEncryptionType type,
        @JsonPropertyDescription("With type KMS: the key's id or ARN. Default: the bucket's default KMS key.")
        String kmsKeyId) {

    public static final String KEY_ONLY_FOR_KMS = "sse.kmsKeyId is for type KMS only";
}
