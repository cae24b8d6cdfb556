package io.backtrack.agent.storage;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.stream.ReadAheadInputStream;
import io.backtrack.agent.tls.TrustBundle;
import io.backtrack.contract.result.Reason;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.credentials.Provider;
import io.minio.http.HttpUtils;
import io.minio.messages.Item;
import io.minio.messages.Upload;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's view of one bucket: the few S3 operations backups need, each failure turned into an
 * {@link io.backtrack.agent.result.AgentFailure} naming the endpoint and bucket. Path-style addressing unless the
 * location asks for virtual-host style, so MinIO, S3Proxy, Ceph and AWS all work with a plain endpoint URL.
 *
 * <p>Every request is bounded by the location's {@link StorageTimeouts}: no progress for
 * {@link StorageTimeouts#attempt()} fails it, and a failure a retry can cure is retried within
 * {@link StorageTimeouts#retryBudget()}. {@link #forCleanup()} is the same bucket for the cleanup after a failure:
 * one short attempt per request.
 */
public final class ObjectStore implements AutoCloseable {
    private final S3Location location;
    private final MinioClient client;
    // Listing and aborting multipart uploads is only public on the async client.
    private final PartUploadClient asyncClient;
    private final OkHttpClient http;
    private final StorageRetry retry;
    private final boolean ownsHttpClient;
    private final Provider credentials;
    private ObjectStore cleanup;

    public ObjectStore(S3Location location) {
        this(location, httpClient(location), StorageRetry.retrying(location, location.timeouts()), true, null);
    }

    /**
     * @param credentials the provider to share (the cleanup store's is its main store's, so temporary credentials
     *                    are fetched once), or null to make one
     */
    private ObjectStore(S3Location location, OkHttpClient http, StorageRetry retry, boolean ownsHttpClient,
                        Provider credentials) {
        this.location = location;
        this.http = http;
        this.retry = retry;
        this.ownsHttpClient = ownsHttpClient;
        this.credentials = credentials != null ? credentials : location.credentials().provider().apply(
                location.credentials().fetches() ? credentialsClient(http, location) : null);
        try {
            this.client = MinioClient.builder().endpoint(location.endpoint()).region(location.region())
                    .credentialsProvider(this.credentials).httpClient(http).build();
            this.asyncClient = new PartUploadClient(MinioAsyncClient.builder().endpoint(location.endpoint())
                    .region(location.region()).credentialsProvider(this.credentials).httpClient(http).build());
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments,
                    "invalid S3 endpoint '" + location.endpoint() + "': " + e.getMessage(), e);
        }
        if (location.virtualHostStyle()) {
            client.enableVirtualStyleEndpoint();
            asyncClient.enableVirtualStyleEndpoint();
        } else {
            client.disableVirtualStyleEndpoint();
            asyncClient.disableVirtualStyleEndpoint();
        }
    }

    /**
     * One HTTP client for both MinIO clients (and the credential source): building one loads and parses the JVM's
     * CA certificates, which costs a noticeable part of a second of CPU at startup. Connect, each read and each
     * write time out after {@link StorageTimeouts#attempt()} without progress. With a CA bundle, the endpoint's
     * certificate may chain to it or to a system root; its host name is checked either way.
     */
    private static OkHttpClient httpClient(S3Location location) {
        long millis = location.timeouts().attempt().toMillis();
        if (location.endpoint().startsWith("http://")) {
            // Plain HTTP: no TLS set-up at all (building a TLS-capable client parses the CA certificates).
            return new OkHttpClient.Builder().connectTimeout(Duration.ofMillis(millis))
                    .writeTimeout(Duration.ofMillis(millis)).readTimeout(Duration.ofMillis(millis))
                    .protocols(List.of(Protocol.HTTP_1_1)).connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                    .build();
        }
        OkHttpClient https = HttpUtils.newDefaultHttpClient(millis, millis, millis);
        if (location.caFile() == null) {
            return https;
        }
        try {
            TrustBundle trust = TrustBundle.withExtraRoots(location.caFile());
            return https.newBuilder().sslSocketFactory(trust.context().getSocketFactory(), trust.trustManager())
                    .build();
        } catch (IOException e) {
            throw new AgentFailure(Reason.StorageTlsFailed, "the CA bundle for S3 endpoint " + location.endpoint()
                    + " cannot be used: " + e.getMessage() + "; check storage.s3.caSecret", e);
        }
    }

    /**
     * The client that fetches temporary credentials: the store's own, but able to speak TLS even when the store is
     * plain HTTP (STS and https credential endpoints).
     */
    private static OkHttpClient credentialsClient(OkHttpClient http, S3Location location) {
        return location.endpoint().startsWith("http://")
                ? http.newBuilder().connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                        .build()
                : http;
    }

    public S3Location location() {
        return location;
    }

    /**
     * The same bucket for cleaning up after a failure, when the store may be the reason: one attempt per request,
     * no progress for {@link StorageTimeouts#cleanup()} fails it. Closed with this store.
     */
    public synchronized ObjectStore forCleanup() {
        if (cleanup == null) {
            Duration quick = location.timeouts().cleanup();
            OkHttpClient h = http.newBuilder().connectTimeout(quick).readTimeout(quick).writeTimeout(quick).build();
            cleanup = new ObjectStore(location, h, StorageRetry.once(location, location.timeouts()), false,
                    credentials);
        }
        return cleanup;
    }

    PartUploadClient async() {
        return asyncClient;
    }

    StorageRetry retry() {
        return retry;
    }

    /** Fails with BucketNotFound (or the storage reason) unless the bucket exists: checked before any work. */
    public void requireBucket() {
        String doing = "checking bucket " + location.bucket();
        boolean exists = call(doing, () -> client.bucketExists(BucketExistsArgs.builder().bucket(location.bucket())
                .build()));
        if (!exists) {
            throw StorageErrors.bucketNotFound(location);
        }
    }

    /** Size of an object, or empty if there is none under that key. */
    public Optional<Long> sizeOf(String key) {
        return callUnlessMissing("reading " + key, () -> client.statObject(StatObjectArgs.builder()
                .bucket(location.bucket()).object(key).build()).size());
    }

    /** The whole (small) object, or empty if missing. */
    public Optional<byte[]> readSmall(String key) {
        return callUnlessMissing("reading " + key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(location.bucket()).object(key)
                    .build())) {
                return in.readAllBytes();
            }
        });
    }

    /**
     * The object's bytes, downloaded ahead of the reader on a background thread into a fixed pool of buffers
     * (4 × 1 MiB), so the download overlaps decompression and the restore. A download that breaks off (no progress,
     * a reset connection) resumes where it stopped, from the same object version.
     */
    public InputStream open(String key) {
        ResumableDownload download = new ResumableDownload(this, key);
        download.start();
        return new ReadAheadInputStream(download, 1024 * 1024, 4, "archive-download");
    }

    /** A download of {@code key} from byte {@code offset} on; {@code etag}, when given, must still match. */
    InputStream get(String key, long offset, String etag) throws Exception {
        GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(location.bucket()).object(key);
        if (offset > 0) {
            args.offset(offset);
        }
        if (etag != null) {
            args.matchETag(etag);
        }
        return client.getObject(args.build());
    }

    /**
     * Writes a small object only if there is none under the key: a conditional put ({@code If-None-Match: *},
     * honoured by AWS S3, MinIO and S3Proxy), so of two writers exactly one creates it. Returns false when an
     * object was already there. A store that ignores the condition overwrites instead; callers read the object
     * back to find out whose it is.
     */
    public boolean putIfAbsent(String key, byte[] content, String contentType) {
        String doing = "writing " + key;
        try {
            retry.run(doing, () -> client.putObject(PutObjectArgs.builder().bucket(location.bucket()).object(key)
                    .headers(conditionalWrite()).contentType(contentType)
                    .stream(new ByteArrayInputStream(content), content.length, -1).build()));
            return true;
        } catch (Exception e) {
            if (StorageErrors.isPreconditionFailed(e)) {
                return false;
            }
            throw StorageErrors.classify(e, location, doing);
        }
    }

    /** {@code If-None-Match: *} and the server-side encryption headers, if any. */
    private Map<String, String> conditionalWrite() {
        Map<String, String> headers = new java.util.LinkedHashMap<>(location.writeHeaders());
        headers.put("If-None-Match", "*");
        return headers;
    }

    /**
     * An output stream that becomes the object {@code key} when closed: a multipart upload whose parts are sized
     * from {@code sizeEstimate} (bytes, 0 when unknown) and grown as needed, uploaded a few at once from part
     * buffers within a fixed heap budget ({@link UploadTuning}). {@link MultipartWriter#abort} ends it without an
     * object.
     */
    public MultipartWriter openUpload(String key, String contentType, long sizeEstimate) {
        return openUpload(key, contentType, sizeEstimate, CompletableFuture.completedFuture(null));
    }

    /**
     * As {@link #openUpload(String, String, long)}, but no request is sent before {@code ready} has completed
     * (e.g. checks of the bucket and folder running beside the first bytes); if it fails, so does the upload.
     */
    public MultipartWriter openUpload(String key, String contentType, long sizeEstimate, CompletableFuture<?> ready) {
        UploadTuning tuning = UploadTuning.fromEnvironment();
        try {
            return new MultipartWriter(this, key, contentType, tuning, sizeEstimate, ready);
        } catch (IOException e) {
            throw new AgentFailure(Reason.DumpFailed, "cannot set up the upload of " + key + ": part buffer in "
                    + tuning.spoolDir() + ": " + e.getMessage(), e);
        }
    }

    /** All objects under a prefix, recursively. */
    public List<StoredObject> list(String prefix) {
        return call("listing " + prefix, () -> {
            List<StoredObject> objects = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(location.bucket())
                    .prefix(prefix).recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir()) {
                    objects.add(new StoredObject(item.objectName(), item.size()));
                }
            }
            return objects;
        });
    }

    public void remove(String key) {
        callUnlessMissing("deleting " + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(location.bucket()).object(key).build());
            return true;
        });
    }

    /** Best-effort removal during cleanup after another failure: logs instead of throwing. */
    public void removeQuietly(String key) {
        try {
            remove(key);
        } catch (RuntimeException e) {
            StructuredLog.warn("storage.cleanup-failed", "key", key, "error", e.getMessage());
        }
    }

    /** Aborts every incomplete multipart upload whose key starts with the prefix; returns how many (best effort). */
    public int abortIncompleteUploads(String prefix) {
        try {
            return abortUploadsUnder(prefix);
        } catch (AgentFailure e) {
            StructuredLog.warn("storage.abort-uploads-failed", "prefix", prefix, "error", e.getMessage());
            return 0;
        }
    }

    /**
     * As {@link #abortIncompleteUploads}, but a store that does not answer fails it (so a stalled store is not
     * waited on twice); only a refused listing (no {@code s3:ListBucketMultipartUploads}) is logged and ignored.
     */
    public int abortIncompleteUploadsOrFail(String prefix) {
        try {
            return abortUploadsUnder(prefix);
        } catch (AgentFailure e) {
            if (e.reason() != Reason.StorageAuthFailed) {
                throw e;
            }
            StructuredLog.warn("storage.abort-uploads-failed", "prefix", prefix, "error", e.getMessage());
            return 0;
        }
    }

    private int abortUploadsUnder(String prefix) {
        String doing = "aborting incomplete uploads under " + prefix;
        int aborted = 0;
        try {
            String keyMarker = null;
            String uploadIdMarker = null;
            while (true) {
                String km = keyMarker;
                String um = uploadIdMarker;
                var result = retry.run("listing incomplete uploads under " + prefix, () -> StorageRetry.await(
                        asyncClient.listMultipartUploadsAsync(location.bucket(), null, null, null, km, 1000, prefix,
                                um, null, null))).result();
                for (Upload upload : result.uploads()) {
                    abortUpload(upload.objectName(), upload.uploadId());
                    aborted++;
                }
                if (!result.isTruncated()) {
                    return aborted;
                }
                keyMarker = result.nextKeyMarker();
                uploadIdMarker = result.nextUploadIdMarker();
            }
        } catch (Exception e) {
            throw StorageErrors.classify(e, location, doing);
        }
    }

    /** Aborts one multipart upload; one that is gone already is fine. */
    void abortUpload(String key, String uploadId) throws Exception {
        try {
            retry.run("aborting the upload of " + key, () -> StorageRetry.await(asyncClient.abortMultipartUploadAsync(
                    location.bucket(), null, key, uploadId, null, null)));
        } catch (Exception e) {
            if (!StorageErrors.isNoSuchUpload(e)) {
                throw e;
            }
        }
    }

    private <T> T call(String doing, StorageRetry.Request<T> request) {
        try {
            return retry.run(doing, request);
        } catch (Exception e) {
            throw StorageErrors.classify(e, location, doing);
        }
    }

    /** The request's result, or empty when the object is not there. */
    private <T> Optional<T> callUnlessMissing(String doing, StorageRetry.Request<T> request) {
        try {
            return Optional.of(retry.run(doing, request));
        } catch (Exception e) {
            if (StorageErrors.isNoSuchKey(e)) {
                return Optional.empty();
            }
            throw StorageErrors.classify(e, location, doing);
        }
    }

    @Override
    public void close() {
        if (ownsHttpClient) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
