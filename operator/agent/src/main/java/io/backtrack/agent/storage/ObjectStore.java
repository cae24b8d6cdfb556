package io.backtrack.agent.storage;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.stream.ReadAheadInputStream;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import io.minio.messages.Upload;
import io.minio.http.HttpUtils;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The agent's view of one bucket: the few S3 operations backups need, each failure turned into an
 * {@link io.backtrack.agent.result.AgentFailure} naming the endpoint and bucket. Path-style addressing, so
 * MinIO, S3Proxy, Ceph and AWS all work with a plain endpoint URL.
 */
public final class ObjectStore implements AutoCloseable {
    private final S3Location location;
    private final MinioClient client;
    // Listing and aborting multipart uploads is only public on the async client.
    private final MinioAsyncClient asyncClient;
    private final OkHttpClient http;

    public ObjectStore(S3Location location) {
        this.location = location;
        // One HTTP client for both: building one loads and parses the JVM's CA certificates, which costs a
        // noticeable part of a second of CPU at startup.
        long connect = 15_000;
        long transfer = 10 * 60_000;
        this.http = location.endpoint().startsWith("http://")
                // Plain HTTP: no TLS set-up at all (building a TLS-capable client parses the CA certificates).
                ? new OkHttpClient.Builder().connectTimeout(connect, TimeUnit.MILLISECONDS)
                        .writeTimeout(transfer, TimeUnit.MILLISECONDS).readTimeout(transfer, TimeUnit.MILLISECONDS)
                        .protocols(List.of(Protocol.HTTP_1_1)).connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                        .build()
                : HttpUtils.newDefaultHttpClient(connect, transfer, transfer);
        try {
            this.client = MinioClient.builder().endpoint(location.endpoint()).region(location.region())
                    .credentials(location.accessKey(), location.secretKey()).httpClient(http).build();
            this.asyncClient = MinioAsyncClient.builder().endpoint(location.endpoint()).region(location.region())
                    .credentials(location.accessKey(), location.secretKey()).httpClient(http).build();
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments,
                    "invalid S3 endpoint '" + location.endpoint() + "': " + e.getMessage(), e);
        }
        client.disableVirtualStyleEndpoint();
        asyncClient.disableVirtualStyleEndpoint();
    }

    public S3Location location() {
        return location;
    }

    /** Fails with BucketNotFound (or the storage reason) unless the bucket exists: checked before any work. */
    public void requireBucket() {
        boolean exists;
        try {
            exists = client.bucketExists(BucketExistsArgs.builder().bucket(location.bucket()).build());
        } catch (Exception e) {
            throw StorageErrors.classify(e, location, "checking bucket " + location.bucket());
        }
        if (!exists) {
            throw StorageErrors.bucketNotFound(location);
        }
    }

    /** Size of an object, or empty if there is none under that key. */
    public Optional<Long> sizeOf(String key) {
        try {
            return Optional.of(client.statObject(StatObjectArgs.builder().bucket(location.bucket()).object(key)
                    .build()).size());
        } catch (Exception e) {
            if (StorageErrors.isNoSuchKey(e)) {
                return Optional.empty();
            }
            throw StorageErrors.classify(e, location, "reading " + key);
        }
    }

    /** The whole (small) object, or empty if missing. */
    public Optional<byte[]> readSmall(String key) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(location.bucket()).object(key).build())) {
            return Optional.of(in.readAllBytes());
        } catch (Exception e) {
            if (StorageErrors.isNoSuchKey(e)) {
                return Optional.empty();
            }
            throw StorageErrors.classify(e, location, "reading " + key);
        }
    }

    /**
     * The object's bytes, downloaded ahead of the reader on a background thread into a fixed pool of buffers
     * (4 × 1 MiB), so the download overlaps decompression and the restore.
     */
    public InputStream open(String key) {
        try {
            return new ReadAheadInputStream(client.getObject(GetObjectArgs.builder().bucket(location.bucket())
                    .object(key).build()), 1024 * 1024, 4, "archive-download");
        } catch (Exception e) {
            throw StorageErrors.classify(e, location, "downloading " + key);
        }
    }

    /**
     * Writes a small object only if there is none under the key: a conditional put ({@code If-None-Match: *},
     * honoured by AWS S3, MinIO and S3Proxy), so of two writers exactly one creates it. Returns false when an
     * object was already there. A store that ignores the condition overwrites instead; callers read the object
     * back to find out whose it is.
     */
    public boolean putIfAbsent(String key, byte[] content, String contentType) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(location.bucket()).object(key)
                    .headers(Map.of("If-None-Match", "*"))
                    .stream(new ByteArrayInputStream(content), content.length, -1).contentType(contentType).build());
            return true;
        } catch (Exception e) {
            if (StorageErrors.isPreconditionFailed(e)) {
                return false;
            }
            throw StorageErrors.classify(e, location, "writing " + key);
        }
    }

    /**
     * An output stream that becomes the object {@code key} when closed: a multipart upload of
     * {@link UploadTuning#partSize()} parts, {@link UploadTuning#partsInFlight()} of them uploading at once, from a
     * fixed pool of part buffers. {@link MultipartWriter#abort} ends it without an object.
     */
    public MultipartWriter openUpload(String key, String contentType) {
        UploadTuning tuning = UploadTuning.fromEnvironment();
        return new MultipartWriter(asyncClient, location.bucket(), key, contentType, tuning.partSize(),
                tuning.partsInFlight());
    }

    /** All objects under a prefix, recursively. */
    public List<StoredObject> list(String prefix) {
        List<StoredObject> objects = new ArrayList<>();
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(location.bucket())
                    .prefix(prefix).recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir()) {
                    objects.add(new StoredObject(item.objectName(), item.size()));
                }
            }
        } catch (Exception e) {
            throw StorageErrors.classify(e, location, "listing " + prefix);
        }
        return objects;
    }

    public void remove(String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(location.bucket()).object(key).build());
        } catch (Exception e) {
            if (!StorageErrors.isNoSuchKey(e)) {
                throw StorageErrors.classify(e, location, "deleting " + key);
            }
        }
    }

    /** Best-effort removal during cleanup after another failure: logs instead of throwing. */
    public void removeQuietly(String key) {
        try {
            remove(key);
        } catch (RuntimeException e) {
            StructuredLog.warn("storage.cleanup-failed", "key", key, "error", e.getMessage());
        }
    }

    /** Aborts every incomplete multipart upload whose key starts with the prefix; returns how many. */
    public int abortIncompleteUploads(String prefix) {
        int aborted = 0;
        try {
            String keyMarker = null;
            String uploadIdMarker = null;
            while (true) {
                var result = asyncClient.listMultipartUploadsAsync(location.bucket(), null, null, null, keyMarker,
                        1000, prefix, uploadIdMarker, null, null).get().result();
                for (Upload upload : result.uploads()) {
                    asyncClient.abortMultipartUploadAsync(location.bucket(), null, upload.objectName(),
                            upload.uploadId(), null, null).get();
                    aborted++;
                }
                if (!result.isTruncated()) {
                    return aborted;
                }
                keyMarker = result.nextKeyMarker();
                uploadIdMarker = result.nextUploadIdMarker();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return aborted;
        } catch (ExecutionException | RuntimeException | java.io.IOException | java.security.GeneralSecurityException
                 | io.minio.errors.MinioException e) {
            StructuredLog.warn("storage.abort-uploads-failed", "prefix", prefix, "error", String.valueOf(e.getMessage()));
            return aborted;
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
