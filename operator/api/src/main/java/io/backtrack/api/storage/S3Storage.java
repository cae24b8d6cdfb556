package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.contract.args.AgentFlags;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...). */
public record S3Storage(
        @Required @Pattern("^https?://.+") @JsonPropertyDescription("Endpoint URL, e.g. http://minio.storage.svc:9000 or https://s3.eu-central-1.amazonaws.com.")
        String endpoint,
        @Required @JsonPropertyDescription("Bucket the backups are written to. It must exist.")
        String bucket,
        @JsonPropertyDescription("Region of the bucket. Default: " + AgentFlags.DEFAULT_REGION + ".")
        String region,
        @JsonPropertyDescription("Optional key prefix; a backup's folder is <prefix>/<namespace>/<backup name>.")
        String prefix,
        @JsonPropertyDescription("Address the bucket in the path (http://host/bucket) rather than as a sub-domain. Default: true.")
        Boolean forcePathStyle,
        @Required @JsonPropertyDescription("Secret with the S3 access key.")
        S3Credentials credentialsSecret) {

    public String regionOrDefault() {
        return region == null || region.isBlank() ? AgentFlags.DEFAULT_REGION : region;
    }
}
