package io.backtrack.agent.cli;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.agent.storage.StorageTimeouts;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.result.Reason;
import picocli.CommandLine.Option;

/** S3 flags shared by every command; credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY only. */
public final class StorageOptions {
    @Option(names = AgentFlags.ENDPOINT, required = true, paramLabel = "URL",
            description = "S3 endpoint, e.g. http://minio.storage.svc:9000 (path-style addressing is used)")
    String endpoint;

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

    S3Location toLocation() {
        String accessKey = System.getenv(AgentEnv.AWS_ACCESS_KEY_ID);
        String secretKey = System.getenv(AgentEnv.AWS_SECRET_ACCESS_KEY);
        if (blank(accessKey) || blank(secretKey)) {
            throw new AgentFailure(Reason.InvalidArguments, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set "
                    + "(from the storage credentials Secret)");
        }
        if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new AgentFailure(Reason.InvalidArguments, "--endpoint must be an http:// or https:// URL, got '"
                    + endpoint + "'");
        }
        StorageTimeouts timeouts;
        try {
            timeouts = StorageTimeouts.parse(storageTimeout);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        return new S3Location(endpoint, bucket, region, accessKey, secretKey, timeouts);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
