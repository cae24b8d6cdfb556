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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An {@link OutputStream} that becomes one S3 object through a multipart upload with up to {@code partsInFlight}
 * parts uploading at once, written from a fixed pool of {@code partsInFlight + 1} part buffers allocated once:
 * memory is bounded by that pool whatever the object's size, and no per-byte garbage is made.
 *
 * <p>Only {@link #close()} completes the object. {@link #abort} (or any failed part) aborts the multipart upload,
 * so nothing is ever completed from a stream that ended with an error. An object smaller than one part is written
 * with a single PUT at close. A failed part makes the next {@code write} or {@code close} throw; {@link #failure()}
 * returns the storage exception for classification.
 */
public final class MultipartWriter extends OutputStream {
    private final MinioAsyncClient client;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final BlockingQueue<byte[]> free;
    private final int basePartSize;
    private final List<CompletableFuture<Part>> uploads = new ArrayList<>();
    private final Object lock = new Object();
    private final java.util.concurrent.ExecutorService hasher = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "part-hasher");
                t.setDaemon(true);
                return t;
            });

    private byte[] buffer;
    private int used;
    private int nextPart = 1;
    private String uploadId;
    private volatile Throwable failure;
    private boolean closed;
    private boolean aborted;

    MultipartWriter(MinioAsyncClient client, String bucket, String key, String contentType, int partSize,
                    int partsInFlight) {
        if (partSize < 5 * 1024 * 1024) {
            throw new IllegalArgumentException("S3 parts must be at least 5 MiB");
        }
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType;
        this.basePartSize = partSize;
        this.free = new ArrayBlockingQueue<>(partsInFlight + 1);
        for (int i = 0; i < partsInFlight + 1; i++) {
            free.add(new byte[partSize]);
        }
        this.buffer = free.poll();
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
            uploadId = join(() -> client.createMultipartUploadAsync(bucket, null, key, headers(), null)).result().uploadId();
        }
        byte[] part = buffer;
        int length = used;
        int number = nextPart++;
        // The client hashes the part (MD5 and SHA-256, for the request signature) before sending it: do that on
        // the hashing thread so the writer goes back to reading pg_dump at once.
        String id = uploadId;
        CompletableFuture<Part> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return client.uploadPartAsync(bucket, null, key, part, length, id, number, null, null);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, hasher).thenCompose(f -> f).thenApply(r -> new Part(number, r.etag()));
        upload.whenComplete((p, e) -> {
            if (e != null) {
                fail(unwrap(e));
            }
            free.offer(part); // back to the pool either way: the request is over
        });
        synchronized (lock) {
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
                join(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).contentType(contentType)
                        .stream(new ByteArrayInputStream(buffer, 0, used), used, -1).build()));
                return;
            }
            if (used > 0) {
                sendPart();
            }
            List<Part> parts = new ArrayList<>();
            List<CompletableFuture<Part>> all;
            synchronized (lock) {
                all = List.copyOf(uploads);
            }
            for (CompletableFuture<Part> f : all) {
                parts.add(join(f));
            }
            parts.sort(Comparator.comparingInt(Part::partNumber));
            Part[] sorted = parts.toArray(new Part[0]);
            join(() -> client.completeMultipartUploadAsync(bucket, null, key, uploadId, sorted, null, null));
            hasher.shutdown();
        } catch (IOException e) {
            abort(e);
            throw e;
        } catch (Exception e) {
            fail(e);
            abort(e);
            throw new IOException("completing " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Ends without an object: waits for parts in flight, then aborts the multipart upload (best effort). */
    public void abort(Throwable cause) {
        closed = true;
        if (failure == null) {
            failure = cause;
        }
        if (aborted) {
            return;
        }
        aborted = true;
        List<CompletableFuture<Part>> all;
        synchronized (lock) {
            all = List.copyOf(uploads);
        }
        for (CompletableFuture<Part> f : all) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // failed or cancelled: either way it is over
            }
        }
        hasher.shutdown();
        if (uploadId != null) {
            try {
                client.abortMultipartUploadAsync(bucket, null, key, uploadId, null, null).get(60, TimeUnit.SECONDS);
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

    private <T> T join(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during upload");
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            fail(cause);
            throw new IOException("upload failed: " + cause.getMessage(), cause);
        }
    }

    private <T> T join(Callable<CompletableFuture<T>> call) throws IOException {
        CompletableFuture<T> f;
        try {
            f = call.call();
        } catch (IOException e) {
            fail(e);
            throw e;
        } catch (Exception e) {
            fail(e);
            throw new IOException("upload failed: " + e.getMessage(), e);
        }
        return join(f);
    }

    @FunctionalInterface
    private interface Callable<T> {
        T call() throws Exception;
    }

    private com.google.common.collect.Multimap<String, String> headers() {
        com.google.common.collect.Multimap<String, String> h = com.google.common.collect.HashMultimap.create();
        h.put("Content-Type", contentType);
        return h;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
