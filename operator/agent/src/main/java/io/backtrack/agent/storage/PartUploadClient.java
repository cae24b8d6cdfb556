package io.backtrack.agent.storage;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.MinioAsyncClient;
import io.minio.Signer;
import io.minio.Time;
import io.minio.credentials.Credentials;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InternalException;
import io.minio.http.Method;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;

import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The async S3 client plus one request of its own: a part upload from memory signed with the part's SHA-256
 * ({@code x-amz-content-sha256}, SigV4's signed payload) and no {@code Content-MD5}. For a part in memory the stock
 * client computes both digests over plain HTTP, and MD5 over HTTPS (with an unsigned payload); MD5 costs more than
 * twice what SHA-256 does on CPUs with SHA extensions, and the signed SHA-256 alone already lets the store refuse a
 * part that changed on the way, over either scheme. Every other request, and the response handling of this one
 * (errors, retries, timeouts), is the stock client's.
 */
final class PartUploadClient extends MinioAsyncClient {

    PartUploadClient(MinioAsyncClient configured) {
        super(configured);
    }

    /** Uploads {@code data[0, length)} as part {@code partNumber}; completes with the part's ETag. */
    CompletableFuture<String> uploadPart(String bucket, String key, String uploadId, int partNumber, byte[] data,
                                         int length, String sha256) throws Exception {
        Multimap<String, String> query = HashMultimap.create();
        query.put("partNumber", Integer.toString(partNumber));
        query.put("uploadId", uploadId);
        return getRegionAsync(bucket, null).thenCompose(region -> {
            try {
                return executeAsync(Method.PUT, bucket, key, region, Headers.of(), query,
                        new SignedPart(data, length, sha256, region), length);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }).thenApply(response -> {
            try (response) {
                return response.header("ETag");
            }
        });
    }

    /**
     * The stock client passes a request body of OkHttp's own type through as it is, unsigned and without the date
     * and payload headers it adds to the others: added and signed here for a {@link SignedPart}, as the stock client
     * signs its own requests (SigV4, with the part's SHA-256 as the payload hash).
     */
    @Override
    protected Request createRequest(HttpUrl url, Method method, Headers headers, Object body, int length,
                                    Credentials credentials)
            throws InsufficientDataException, InternalException, IOException, NoSuchAlgorithmException {
        Request request = super.createRequest(url, method, headers, body, length, credentials);
        if (!(body instanceof SignedPart part)) {
            return request;
        }
        Request.Builder builder = request.newBuilder().header("x-amz-content-sha256", part.sha256)
                .header("x-amz-date", ZonedDateTime.now().format(Time.AMZ_DATE_FORMAT));
        if (credentials == null) {
            return builder.build();
        }
        if (credentials.sessionToken() != null) {
            builder.header("X-Amz-Security-Token", credentials.sessionToken());
        }
        try {
            return Signer.signV4S3(builder.build(), part.region, credentials.accessKey(), credentials.secretKey(),
                    part.sha256);
        } catch (InvalidKeyException e) {
            throw new InternalException("cannot sign the part upload: " + e.getMessage(), null);
        }
    }

    /** A part's bytes, sent from the part buffer itself (again on a retry). */
    private static final class SignedPart extends RequestBody {
        private final byte[] data;
        private final int length;
        private final String sha256;
        private final String region;

        SignedPart(byte[] data, int length, String sha256, String region) {
            this.data = data;
            this.length = length;
            this.sha256 = sha256;
            this.region = region;
        }

        @Override
        public MediaType contentType() {
            return null;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(data, 0, length);
        }
    }
}
