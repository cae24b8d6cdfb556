package io.backtrack.agent.storage;

/**
 * Where archives live, and how long to wait on the store there. The secret key is only handed to the S3 client,
 * never logged or printed.
 */
public record S3Location(String endpoint, String bucket, String region, String accessKey, String secretKey,
                         StorageTimeouts timeouts) {
    @Override
    public String toString() {
        return "S3Location[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", timeout="
                + timeouts + "]";
    }
}
