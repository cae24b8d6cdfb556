package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.tls.CaSecret;
import io.backtrack.contract.args.AgentFlags;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...). */
@ValidationRule(value = "!has(self.caSecret) || self.endpoint.startsWith('https://')",
        message = "caSecret needs an https:// endpoint")
public record S3Storage(
        @Required @Pattern("^https?://.+") @JsonPropertyDescription("Endpoint URL, e.g. http://minio.storage.svc:9000 or https://s3.eu-central-1.amazonaws.com.")
        String endpoint,
        @Required @JsonPropertyDescription("Bucket the backups are written to. It must exist.")
        String bucket,
        @JsonPropertyDescription("Region of the bucket. Default: " + AgentFlags.DEFAULT_REGION + ".")
        String region,
        @JsonPropertyDescription("Optional key prefix; a backup's folder is <prefix>/<namespace>/<backup name>.")
        String prefix,
        @JsonPropertyDescription("Address the bucket in the path (https://host/bucket/key), which MinIO, Ceph RGW, S3Proxy and AWS accept. false: as a sub-domain (https://bucket.host/key), which some stores require; the bucket's host name must then resolve and be covered by the endpoint's certificate. Default: true.")
        Boolean forcePathStyle,
        @JsonPropertyDescription("Secret with a static S3 access key. Without it the agent takes credentials from the Pod's cloud identity, as the AWS SDKs do: web identity (IRSA, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN), container credentials (EKS Pod Identity), then instance metadata. Give the Job a ServiceAccount bound to that identity (job.serviceAccountName).")
        S3Credentials credentialsSecret,
        @JsonPropertyDescription("CA bundle trusted for the endpoint's certificate in addition to the system's roots (a private or corporate CA). Needs an https:// endpoint. Certificate checks cannot be turned off.")
        CaSecret caSecret,
        @JsonPropertyDescription("Server-side encryption of every object written (S3 or KMS), passed through as S3 request headers. Default: none requested (the bucket's own default applies).")
        ServerSideEncryptionSpec sse) {

    /** A bucket with a static access key, path-style, trusting the system's roots only, no server-side encryption. */
    public S3Storage(String endpoint, String bucket, String region, String prefix, Boolean forcePathStyle,
                     S3Credentials credentialsSecret) {
        this(endpoint, bucket, region, prefix, forcePathStyle, credentialsSecret, null, null);
    }

    public boolean pathStyle() {
        return forcePathStyle == null || forcePathStyle;
    }

    public String regionOrDefault() {
        return region == null || region.isBlank() ? AgentFlags.DEFAULT_REGION : region;
    }
}
