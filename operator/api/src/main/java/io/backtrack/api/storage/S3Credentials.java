package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the S3 access key is kept: a Secret in the resource's namespace. */
public record S3Credentials(
        @Required @JsonPropertyDescription("Name of the Secret holding the S3 access key.")
        String name,
        @JsonPropertyDescription("Key of the access key id in the Secret. Default: AWS_ACCESS_KEY_ID.")
        String accessKeyIdKey,
        @JsonPropertyDescription("Key of the secret access key in the Secret. Default: AWS_SECRET_ACCESS_KEY.")
        String secretAccessKeyKey) {

    public String accessKeyIdKeyOrDefault() {
        return accessKeyIdKey == null || accessKeyIdKey.isBlank() ? "AWS_ACCESS_KEY_ID" : accessKeyIdKey;
    }

    public String secretAccessKeyKeyOrDefault() {
        return secretAccessKeyKey == null || secretAccessKeyKey.isBlank() ? "AWS_SECRET_ACCESS_KEY" : secretAccessKeyKey;
    }
}
