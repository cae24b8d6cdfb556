package io.backtrack.agent.storage;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;

import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one S3 request, retrying it with exponential backoff (0.5 s doubling to 8 s, jittered) while it fails in a
 * way a retry can cure ({@link StorageErrors#isTransient}) and the {@link StorageTimeouts#retryBudget()} after its
 * first failure allows one more attempt to end in time. Giving up on a store that does not answer is an
 * {@link AgentFailure} StorageUnreachable saying what timed out; any other failure is thrown as it came, for
 * {@link StorageErrors#classify}.
 */
final class StorageRetry {
    /** An S3 request; may throw anything the MinIO client throws. */
    @FunctionalInterface
    interface Request<T> {
        T run() throws Exception;
    }

    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 8_000;

    private final S3Location location;
    private final StorageTimeouts timeouts;
    private final boolean retries;
    private volatile boolean reached;

    private StorageRetry(S3Location location, StorageTimeouts timeouts, boolean retries) {
        this.location = location;
        this.timeouts = timeouts;
        this.retries = retries;
    }

    /** Retries within the budget. */
    static StorageRetry retrying(S3Location location, StorageTimeouts timeouts) {
        return new StorageRetry(location, timeouts, true);
    }

    /** One attempt only: cleanup after a failure, when the store may well be gone. */
    static StorageRetry once(S3Location location, StorageTimeouts timeouts) {
        return new StorageRetry(location, timeouts, false);
    }

    /** Runs the request; {@code doing} completes "… while {@code doing}" in messages and logs. */
    <T> T run(String doing, Request<T> request) throws Exception {
        return run(doing, request, () -> false);
    }

    /** As {@link #run(String, Request)}; stops retrying once {@code cancelled} says so. */
    <T> T run(String doing, Request<T> request, BooleanSupplier cancelled) throws Exception {
        return retry(doing, request, cancelled, 0, 0);
    }

    /**
     * Retries a request whose first attempt already failed at {@code firstFailureNanos} (a download that broke off
     * mid-stream, resumed by {@code request}).
     */
    <T> T resume(String doing, Request<T> request, long firstFailureNanos, Exception firstFailure) throws Exception {
        if (!retries || !StorageErrors.isTransient(firstFailure, reached)) {
            throw firstFailure;
        }
        return retry(doing, request, () -> false, firstFailureNanos, 1);
    }

    private <T> T retry(String doing, Request<T> request, BooleanSupplier cancelled, long firstFailure,
                        int failedBefore) throws Exception {
        int attempts = failedBefore;
        long start = firstFailure;
        long backoff = FIRST_BACKOFF_MILLIS;
        long sleep = 0;
        if (failedBefore > 0) {
            sleep = jittered(backoff);
            backoff *= 2;
        }
        while (true) {
            if (sleep > 0) {
                pause(sleep);
            }
            try {
                attempts++;
                T result = request.run();
                reached = true;
                return result;
            } catch (Exception e) {
                Exception error = unwrap(e);
                boolean transientError = StorageErrors.isTransient(error, reached);
                if (!retries || !transientError || cancelled.getAsBoolean()) {
                    throw transientError && attempts > 1 ? gaveUp(doing, error, attempts, start) : error;
                }
                long now = System.nanoTime();
                if (attempts == 1) {
                    start = now;
                }
                sleep = jittered(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                long nextEndsAt = TimeUnit.NANOSECONDS.toMillis(now - start) + sleep
                        + timeouts.attempt().toMillis();
                if (nextEndsAt > timeouts.retryBudget().toMillis()) {
                    throw gaveUp(doing, error, attempts, start);
                }
                StructuredLog.warn("storage.retry", "doing", doing, "attempt", attempts,
                        "error", StorageErrors.describe(error));
            }
        }
    }

    /** The failure once retrying is over: what timed out or failed, where, and for how long it was tried. */
    private AgentFailure gaveUp(String doing, Exception last, int attempts, long firstFailureNanos) {
        double seconds = firstFailureNanos == 0 ? 0 : (System.nanoTime() - firstFailureNanos) / 1e9;
        return StorageErrors.gaveUp(location, doing, last, attempts, seconds, timeouts);
    }

    /** Blocks for a MinIO async call, rethrowing what failed it rather than the future's wrapper. */
    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new InterruptedIOException("interrupted while waiting for the object store");
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    static Exception unwrap(Exception e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception ex ? ex : new RuntimeException(t);
    }

    private static long jittered(long millis) {
        return millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    }

    private static void pause(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
