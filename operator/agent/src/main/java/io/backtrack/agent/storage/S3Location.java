package io.backtrack.agent.storage;

import io.backtrack.contract.wire.ServerSideEncryption;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where archives live, and how long to wait on the store there. The secret key is only handed to the S3 client,
 * never logged or printed.
 *
 * @param sse      server-side encryption asked of the store for every object written, or null
 * @param kmsKeyId the KMS key of {@link ServerSideEncryption#KMS}, or null for the bucket's default key
 */
public record S3Location(String endpoint, String bucket, String region, String accessKey, String secretKey,
                         StorageTimeouts timeouts, ServerSideEncryption sse, String kmsKeyId) {

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
                + timeouts + (sse == null ? "" : ", sse=" + sse) + "]";
    }
}
