package io.backtrack.agent.storage;

import io.backtrack.agent.stream.Sha256;
import io.minio.PutObjectArgs;
import io.minio.messages.Part;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link OutputStream} that becomes one S3 object through a multipart upload, in fixed memory whatever the
 * object's size (up to S3's 5 TiB): part sizes follow a {@link PartPlan} (the base size, grown by doubling as the
 * object turns out large, never more than 10,000 parts), and parts live in {@link PartBuffers} within a fixed heap
 * budget, fewer of them uploading at once as they grow, and in unlinked temporary files beyond half the budget.
 * Buffers are reused; no per-byte garbage is made.
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
    private final PartUploadClient client;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final PartPlan plan;
    private final PartBuffers buffers;
    private final List<CompletableFuture<Part>> uploads = new ArrayList<>();
    private final ExecutorService uploaders;
    private final CompletableFuture<?> ready;

    private PartBuffer buffer;
    private long written;
    private int nextPart = 1;
    private String uploadId;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private boolean closed;

    /**
     * {@code sizeEstimate}: the expected size of the object in bytes, 0 when unknown (sizes parts, nothing else);
     * {@code ready}: what must have succeeded before the first request.
     */
    MultipartWriter(ObjectStore store, String key, String contentType, UploadTuning tuning, long sizeEstimate,
                    CompletableFuture<?> ready) throws IOException {
        this.store = store;
        this.ready = ready;
        this.client = store.async();
        this.bucket = store.location().bucket();
        this.key = key;
        this.contentType = contentType;
        this.plan = new PartPlan(tuning.partSize(), sizeEstimate);
        this.buffers = new PartBuffers(tuning.heapBudget(), tuning.partsInFlight(), tuning.spoolDir());
        AtomicInteger threads = new AtomicInteger();
        this.uploaders = Executors.newFixedThreadPool(tuning.partsInFlight(), r -> {
            Thread t = new Thread(r, "part-upload-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.buffer = buffers.take(plan.sizeOf(1, 0), () -> { });
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
            int n = buffer.write(b, off, len);
            written += n;
            off += n;
            len -= n;
            if (buffer.full()) {
                sendPart(false);
            }
        }
    }

    /**
     * Starts uploading the buffer as the next part and, unless it is the {@code last}, takes a free buffer for the
     * one after (waiting while the budget is in use).
     */
    private void sendPart(boolean last) throws IOException {
        checkFailure();
        if (nextPart > PartPlan.MAX_PARTS) {
            throw new IOException("the archive needs more than " + PartPlan.MAX_PARTS + " parts: it is larger than "
                    + "S3's largest object (5 TiB)");
        }
        if (uploadId == null) {
            awaitReady();
            uploadId = request("starting the multipart upload of " + key, () -> StorageRetry.await(
                    client.createMultipartUploadAsync(bucket, null, key, headers(), null)).result().uploadId());
        }
        PartBuffer part = buffer;
        int number = nextPart++;
        String id = uploadId;
        CompletableFuture<Part> upload = CompletableFuture.supplyAsync(() -> uploadPart(id, number, part),
                uploaders);
        upload.whenComplete((p, e) -> {
            if (e != null) {
                fail(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
            buffers.giveBack(part); // no request uses it any more
        });
        synchronized (uploads) {
            uploads.add(upload);
        }
        buffer = null;
        if (!last) {
            buffer = buffers.take(plan.sizeOf(nextPart, written), this::checkFailure);
        }
    }

    /**
     * One part, re-sent from its buffer while failures are ones a retry can cure (on an upload thread). A part in
     * memory is hashed once and sent signed with its SHA-256 ({@link PartUploadClient}); a spooled one goes through
     * the stock client, which reads it from its file.
     */
    private Part uploadPart(String id, int number, PartBuffer part) {
        try {
            String doing = "uploading part " + number + " of " + key;
            if (part instanceof PartBuffer.Heap heap) {
                int length = (int) heap.length();
                String sha256 = Sha256.hex(heap.data, length);
                return store.retry().run(doing, () -> new Part(number, StorageRetry.await(client.uploadPart(bucket,
                        key, id, number, heap.data, length, sha256))), () -> failure != null || aborted);
            }
            return store.retry().run(doing, () -> new Part(number,
                    StorageRetry.await(client.uploadPartAsync(bucket, null, key, part.body(), part.length(), id,
                            number, null, null)).etag()), () -> failure != null || aborted);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** Uploads what is left and completes the object; the object exists only if this returns normally. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        checkFailure();
        if (buffer == null) {
            throw new IOException("the upload of " + key + " was interrupted");
        }
        try {
            if (uploadId == null && buffer instanceof PartBuffer.Heap whole) {
                // Smaller than one part: a single PUT.
                awaitReady();
                request("writing " + key, () -> StorageRetry.await(client.putObject(PutObjectArgs.builder()
                        .bucket(bucket).object(key).contentType(contentType).headers(store.location().writeHeaders())
                        .stream(whole.stream(), whole.length(), -1).build())));
                return;
            }
            if (buffer.length() > 0 || uploadId == null) {
                sendPart(true); // the last part (or the only one, of a spooled first part)
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
            if (buffer != null) {
                buffers.giveBack(buffer); // taken for a part that never came: the object ended on a part boundary
                buffer = null;
            }
            buffers.close();
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
        if (buffer != null) {
            buffers.giveBack(buffer);
            buffer = null;
        }
        buffers.close();
        if (uploadId != null) {
            try {
                store.forCleanup().abortUpload(key, uploadId);
            } catch (Exception ignored) {
                // the caller also cleans up incomplete uploads under the key
            }
        }
    }

    /** Waits for what must succeed before the first request; its failure fails the upload. */
    private void awaitReady() throws IOException {
        try {
            ready.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            IOException failed = new IOException("not uploading: " + (e.getCause() != null ? e.getCause() : e)
                    .getMessage(), e.getCause() != null ? e.getCause() : e);
            fail(failed);
            throw failed;
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
            return StorageRetry.await(future);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (Exception e) {
            fail(e);
            throw new IOException("upload failed: " + e.getMessage(), e);
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
        store.location().writeHeaders().forEach(h::put);
        return h;
    }
}
