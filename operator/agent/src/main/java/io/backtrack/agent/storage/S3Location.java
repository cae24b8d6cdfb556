package io.backtrack.agent.storage;

/** Where archives live. The secret key is only handed to the S3 client, never logged or printed. */
public record S3Location(String endpoint, String bucket, String region, String accessKey, String secretKey) {
    @Override
    public String toString() {
        return "S3Location[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + "]";
    }
}
