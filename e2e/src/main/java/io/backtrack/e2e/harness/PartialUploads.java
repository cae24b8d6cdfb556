package io.backtrack.e2e.harness;

import io.backtrack.e2e.s3.S3Server;
import io.minio.MinioAsyncClient;

/** Starts a multipart upload and leaves it incomplete: what an agent killed mid-upload leaves in the bucket. */
public final class PartialUploads {
    private PartialUploads() {
    }

    /** @return the upload id */
    public static String start(S3Server s3, String bucket, String key) {
        MinioAsyncClient client = MinioAsyncClient.builder().endpoint(s3.endpoint()).region("us-east-1")
                .credentials(s3.accessKey(), s3.secretKey()).build();
        try {
            return client.createMultipartUploadAsync(bucket, null, key, null, null).get().result().uploadId();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a multipart upload of " + bucket + "/" + key, e);
        } finally {
            try {
                client.close();
            } catch (Exception ignored) {
                // connection pool only
            }
        }
    }
}
