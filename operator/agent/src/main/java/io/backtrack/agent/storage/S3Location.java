package io.backtrack.agent.storage;

import java.nio.file.Path;

/**
 * Where archives live, how the agent gets there and how long it waits on the store. The credentials are only
 * handed to the S3 client, never logged or printed.
 *
 * @param credentials      where the S3 credentials come from
 * @param caFile           a PEM bundle trusted in addition to the system's roots, or null
 * @param virtualHostStyle address the bucket as a sub-domain of the endpoint instead of in the path
 */
public record S3Location(String endpoint, String bucket, String region, CredentialSource credentials, Path caFile,
                         boolean virtualHostStyle, StorageTimeouts timeouts) {

    /** A path-style bucket with a static key, trusting the system's roots. */
    public static S3Location withKey(String endpoint, String bucket, String region, String accessKey,
                                     String secretKey, StorageTimeouts timeouts) {
        return new S3Location(endpoint, bucket, region, CredentialSource.staticKey(accessKey, secretKey, null), null,
                false, timeouts);
    }

    @Override
    public String toString() {
        return "S3Location[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", timeout="
                + timeouts + (caFile == null ? "" : ", ca=" + caFile) + (virtualHostStyle ? ", virtual-host" : "")
                + "]";
    }
}
