package io.backtrack.agent.storage;

import io.backtrack.contract.wire.ServerSideEncryption;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where archives live, how the agent gets there and how long it waits on the store. The credentials are only
 * handed to the S3 client, never logged or printed.
 *
 * @param credentials      where the S3 credentials come from
 * @param caFile           a PEM bundle trusted in addition to the system's roots, or null
 * @param virtualHostStyle address the bucket as a sub-domain of the endpoint instead of in the path
 * @param sse              server-side encryption asked of the store for every object written, or null
 * @param kmsKeyId         the KMS key of {@link ServerSideEncryption#KMS}, or null for the bucket's default key
 */
public record S3Location(String endpoint, String bucket, String region, CredentialSource credentials, Path caFile,
                         boolean virtualHostStyle, StorageTimeouts timeouts, ServerSideEncryption sse,
                         String kmsKeyId) {

    /** A path-style bucket with a static key, trusting the system's roots, asking for no server-side encryption. */
    public static S3Location withKey(String endpoint, String bucket, String region, String accessKey,
                                     String secretKey, StorageTimeouts timeouts) {
        return new S3Location(endpoint, bucket, region, CredentialSource.staticKey(accessKey, secretKey, null), null,
                false, timeouts, null, null);
    }

    /** The request headers that ask for server-side encryption on a write (PUT, or the start of a multipart upload). */
    public Map<String, String> writeHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (sse != null) {
            headers.put(ServerSideEncryption.HEADER, sse.headerValue());
            if (sse == ServerSideEncryption.KMS && kmsKeyId != null && !kmsKeyId.isBlank()) {
                headers.put(ServerSideEncryption.KMS_KEY_HEADER, kmsKeyId);
            }
        }
        return headers;
    }

    @Override
    public String toString() {
        return "S3Location[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", timeout="
                + timeouts + (caFile == null ? "" : ", ca=" + caFile) + (virtualHostStyle ? ", virtual-host" : "")
                + (sse == null ? "" : ", sse=" + sse) + "]";
    }
}
