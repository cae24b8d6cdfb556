package io.backtrack.agent.storage;

import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.messages.Part;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link OutputStream} that becomes one S3 object through a multipart upload with up to {@code partsInFlight}
 * parts uploading at once, written from a fixed pool of {@code partsInFlight + 1} part buffers allocated once:
 * memory is bounded by that pool whatever the object's size, and no per-byte garbage is made.
 *
 * <p>Each part is uploaded by one of {@code partsInFlight} upload threads (which also hash it for the request
 * signature, so the writer goes straight back to its caller) and re-sent from its buffer when a request fails in a
 * way a retry can cure (a 503, no answer in time): one slow answer never fails the object. Requests are bounded by
 * the store's {@link StorageTimeouts}.
 *
 * <p>Only {@link #close()} completes the object. {@link #abort} (or any failed part) aborts the multipart upload,
 * so nothing is ever completed from a stream that ended with an error. An object smaller than one part is written
 * with a single PUT at close. A failed part makes the next {@code write} or {@code close} throw; {@link #failure()}
 * returns the storage exception for classification.
 */
public final class MultipartWriter extends OutputStream {
    private final ObjectStore store;
    private final MinioAsyncClient client;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final BlockingQueue<byte[]> free;
    private final int basePartSize;
    private final List<CompletableFuture<Part>> uploads = new ArrayList<>();
    private final ExecutorService uploaders;

    private byte[] buffer;
    private int used;
    private long written;
    private int nextPart = 1;
    private String uploadId;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private boolean closed;

    MultipartWriter(ObjectStore store, String key, String contentType, int partSize, int partsInFlight) {
        if (partSize < 5 * 1024 * 1024) {
            throw new IllegalArgumentException("S3 parts must be at least 5 MiB");
        }
        this.store = store;
        this.client = store.async();
        this.bucket = store.location().bucket();
        this.key = key;
        this.contentType = contentType;
        this.basePartSize = partSize;
        this.free = new ArrayBlockingQueue<>(partsInFlight + 1);
        for (int i = 0; i < partsInFlight + 1; i++) {
            free.add(new byte[partSize]);
        }
        this.buffer = free.poll();
        AtomicInteger threads = new AtomicInteger();
        this.uploaders = Executors.newFixedThreadPool(partsInFlight, r -> {
            Thread t = new Thread(r, "part-upload-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkFailure();
        if (closed) {
            throw new IOException("writer closed");
        }
        while (len > 0) {
            int n = Math.min(len, buffer.length - used);
            System.arraycopy(b, off, buffer, used, n);
            used += n;
            written += n;
            off += n;
            len -= n;
            if (used == buffer.length) {
                sendPart();
            }
        }
    }

    /** Starts uploading the full buffer as the next part and takes a free buffer (waiting while all are busy). */
    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = request("starting the multipart upload of " + key, () -> StorageRetry.await(
                    client.createMultipartUploadAsync(bucket, null, key, headers(), null)).result().uploadId());
        }
        byte[] part = buffer;
        int length = used;
        int number = nextPart++;
        String id = uploadId;
        CompletableFuture<Part> upload = CompletableFuture.supplyAsync(() -> uploadPart(id, number, part, length),
                uploaders);
        upload.whenComplete((p, e) -> {
            if (e != null) {
                fail(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
            free.offer(part); // back to the pool either way: no request uses it any more
        });
        synchronized (uploads) {
            uploads.add(upload);
        }
        buffer = null;
        used = 0;
        try {
            while (buffer == null) {
                checkFailure();
                buffer = free.poll(200, TimeUnit.MILLISECONDS);
            }
            int size = partSize(nextPart);
            if (buffer.length < size) {
                buffer = new byte[size]; // a very large archive: fewer, larger parts (S3 allows 10,000)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part upload");
        }
    }

    /** One part, re-sent from its buffer while failures are ones a retry can cure (on an upload thread). */
    private Part uploadPart(String id, int number, byte[] part, int length) {
        try {
            return store.retry().run("uploading part " + number + " of " + key, () -> new Part(number,
                    StorageRetry.await(client.uploadPartAsync(bucket, null, key, part, length, id, number, null,
                            null)).etag()), () -> failure != null || aborted);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /**
     * The size of part {@code n}: the base size for the first 1,000 parts, doubling every 1,000 parts after that
     * (S3 allows 10,000 parts), so an archive of any size fits while memory stays at the base size for all but
     * huge archives (8 MiB parts: the first 8 GB of archive).
     */
    int partSize(int n) {
        long size = (long) basePartSize << Math.min(10, (n - 1) / 1000);
        return (int) Math.min(size, 1L << 30);
    }

    /** Uploads what is left and completes the object; the object exists only if this returns normally. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        checkFailure();
        try {
            if (uploadId == null) {
                // Smaller than one part: a single PUT.
                byte[] whole = buffer;
                int length = used;
                request("writing " + key, () -> StorageRetry.await(client.putObject(PutObjectArgs.builder()
                        .bucket(bucket).object(key).contentType(contentType)
                        .stream(new ByteArrayInputStream(whole, 0, length), length, -1).build())));
                return;
            }
            if (used > 0) {
                sendPart();
            }
            List<Part> parts = new ArrayList<>();
            List<CompletableFuture<Part>> all;
            synchronized (uploads) {
                all = List.copyOf(uploads);
            }
            for (CompletableFuture<Part> f : all) {
                parts.add(await(f));
            }
            parts.sort(Comparator.comparingInt(Part::partNumber));
            complete(parts.toArray(new Part[0]));
        } catch (IOException e) {
            abort(e);
            throw e;
        } catch (RuntimeException e) {
            fail(e);
            abort(e);
            throw new IOException("upload failed: " + e.getMessage(), e);
        } finally {
            uploaders.shutdown();
        }
    }

    /**
     * Completes the upload. A retry after an answer that was lost on the way back finds the upload gone
     * (NoSuchUpload): then the object must be there, with every byte written.
     */
    private void complete(Part[] parts) throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        String doing = "completing the upload of " + key;
        try {
            store.retry().run(doing, () -> {
                attempts.incrementAndGet();
                return StorageRetry.await(client.completeMultipartUploadAsync(bucket, null, key, uploadId, parts,
                        null, null));
            });
        } catch (Exception e) {
            Optional<Long> size = attempts.get() > 1 && StorageErrors.isNoSuchUpload(e) ? store.sizeOf(key)
                    : Optional.empty();
            if (size.isPresent() && size.get() == written) {
                return;
            }
            fail(e);
            throw new IOException("upload failed: " + e.getMessage(), e);
        }
    }

    /**
     * Ends without an object: stops the part uploads and aborts the multipart upload with one short request (best
     * effort: the caller also cleans up incomplete uploads under the key, and the next backup into the folder
     * aborts what is left).
     */
    public void abort(Throwable cause) {
        closed = true;
        if (failure == null) {
            failure = cause;
        }
        if (aborted) {
            return;
        }
        aborted = true;
        uploaders.shutdownNow();
        if (uploadId != null) {
            try {
                store.forCleanup().abortUpload(key, uploadId);
            } catch (Exception ignored) {
                // the caller also cleans up incomplete uploads under the key
            }
        }
    }

    /** The storage error that failed this upload, if any. */
    public Throwable failure() {
        return failure;
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void checkFailure() throws IOException {
        Throwable f = failure;
        if (f != null) {
            throw new IOException("upload failed: " + f.getMessage(), f);
        }
    }

    private Part await(CompletableFuture<Part> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during upload");
        } catch (ExecutionException e) {
            Throwable cause = StorageRetry.unwrap(e);
            fail(cause);
            throw new IOException("upload failed: " + cause.getMessage(), cause);
        }
    }

    /** One request with retries on the calling thread; a failure fails the upload. */
    private <T> T request(String doing, StorageRetry.Request<T> request) throws IOException {
        try {
            return store.retry().run(doing, request, () -> aborted);
        } catch (IOException e) {
            fail(e);
            throw e;
        } catch (Exception e) {
            fail(e);
            throw new IOException("upload failed: " + e.getMessage(), e);
        }
    }

    private com.google.common.collect.Multimap<String, String> headers() {
        com.google.common.collect.Multimap<String, String> h = com.google.common.collect.HashMultimap.create();
        h.put("Content-Type", contentType);
        return h;
    }
}
