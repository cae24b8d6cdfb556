package io.backtrack.agent.cli;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.CredentialSource;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.agent.storage.StorageTimeouts;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.ServerSideEncryption;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * S3 flags shared by every command. Credentials come from the environment only: AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, else the cloud identity the AWS SDKs would find ({@link CredentialSource}).
 */
public final class StorageOptions {
    @Option(names = AgentFlags.ENDPOINT, required = true, paramLabel = "URL",
            description = "S3 endpoint, e.g. http://minio.storage.svc:9000 or https://s3.eu-central-1.amazonaws.com")
    String endpoint;

    @Option(names = AgentFlags.VIRTUAL_HOST_STYLE,
            description = "Address the bucket as a sub-domain of the endpoint (https://BUCKET.host/key) instead of "
                    + "in the path (https://host/BUCKET/key, the default)")
    boolean virtualHostStyle;

    @Option(names = AgentFlags.STORAGE_CA_FILE, paramLabel = "PEM",
            description = "CA certificates (PEM) trusted for the endpoint in addition to the system's roots")
    Path caFile;

    @Option(names = AgentFlags.BUCKET, required = true, paramLabel = "BUCKET", description = "Bucket holding the backups")
    String bucket;

    @Option(names = AgentFlags.REGION, defaultValue = AgentFlags.DEFAULT_REGION, paramLabel = "REGION",
            description = "S3 region (default: ${DEFAULT-VALUE})")
    String region;

    @Option(names = AgentFlags.STORAGE_TIMEOUT, paramLabel = "DURATION",
            defaultValue = "${env:" + StorageTimeouts.ENV + ":-" + StorageTimeouts.DEFAULT + "}",
            description = "Longest wait on an object store that does not answer before failing with "
                    + "StorageUnreachable, retries and cleanup included, e.g. 2m, 90s, 1m30s (default: "
                    + StorageTimeouts.DEFAULT + ", env " + StorageTimeouts.ENV + ")")
    String storageTimeout;

    @Option(names = AgentFlags.SSE, paramLabel = "TYPE",
            description = "Ask the store to encrypt every object written: S3 (keys it manages) or KMS")
    String sse;

    @Option(names = AgentFlags.SSE_KMS_KEY_ID, paramLabel = "KEY",
            description = "The KMS key of --sse KMS (default: the bucket's default KMS key)")
    String sseKmsKeyId;

    S3Location toLocation() {
        if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new AgentFailure(Reason.InvalidArguments, "--endpoint must be an http:// or https:// URL, got '"
                    + endpoint + "'");
        }
        if (caFile != null && !endpoint.startsWith("https://")) {
            throw new AgentFailure(Reason.InvalidArguments, AgentFlags.STORAGE_CA_FILE + " needs an https:// "
                    + AgentFlags.ENDPOINT + ", got '" + endpoint + "'");
        }
        CredentialSource credentials = CredentialSource.fromEnvironment(System.getenv());
        StructuredLog.info("storage.credentials", "source", credentials.description());
        StorageTimeouts timeouts;
        try {
            timeouts = StorageTimeouts.parse(storageTimeout);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        ServerSideEncryption encryption = null;
        if (sse != null) {
            try {
                encryption = ServerSideEncryption.parse(sse);
            } catch (IllegalArgumentException e) {
                throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
            }
        }
        if (!blank(sseKmsKeyId) && encryption != ServerSideEncryption.KMS) {
            throw new AgentFailure(Reason.InvalidArguments, AgentFlags.SSE_KMS_KEY_ID + " needs " + AgentFlags.SSE
                    + " KMS");
        }
        return new S3Location(endpoint, bucket, region, credentials, caFile, virtualHostStyle, timeouts, encryption,
                sseKmsKeyId);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
