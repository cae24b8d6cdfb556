package io.backtrack.agent.storage;

import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.durations.Durations;

import java.time.Duration;

/**
 * How long the agent waits on an object store that does not answer: {@code --storage-timeout} (env
 * {@code BACKTRACK_STORAGE_TIMEOUT}, default {@value #DEFAULT}). From the moment the agent first waits on a store
 * that has stopped answering (stopped, partitioned, overloaded) until it reports StorageUnreachable, no more than
 * {@link #total()} passes, cleanup included:
 * <ul>
 *   <li>each request fails after {@link #attempt()} without progress (connect, each read, each write: a slow
 *       store that keeps sending or receiving is not cut off);
 *   <li>a request that fails that way, or with a 5xx/429/connection reset, is retried with backoff for up to
 *       {@link #retryBudget()} after its first failure (a part is re-sent from its buffer, a download resumes at
 *       the byte it reached), so one slow or 503 answer never restarts a backup;
 *   <li>the cleanup after a failure (aborting the upload, removing the archive) takes up to three requests of
 *       {@link #cleanup()} each, without retries.
 * </ul>
 */
public record StorageTimeouts(Duration total) {
    public static final String DEFAULT = "2m";
    public static final String ENV = "BACKTRACK_STORAGE_TIMEOUT";
    static final Duration MIN = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofHours(24);
    private static final int CLEANUP_REQUESTS = 3;

    public StorageTimeouts {
        if (total.compareTo(MIN) < 0 || total.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("--storage-timeout must be between 5s and 24h, got "
                    + Durations.format(total));
        }
    }

    public static StorageTimeouts defaults() {
        return parse(DEFAULT);
    }

    /** {@code 2m}, {@code 90s}, {@code 1m30s}, {@code 1h} (the one duration format), or plain seconds ({@code 120}). */
    public static StorageTimeouts parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.matches("\\d+")) {
            return new StorageTimeouts(Duration.ofSeconds(Long.parseLong(t)));
        }
        return new StorageTimeouts(Durations.parse(t, AgentFlags.STORAGE_TIMEOUT));
    }

    /** No progress for this long fails one request: a quarter of the total, at most 30 s. */
    public Duration attempt() {
        Duration quarter = total.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : quarter;
    }

    /** One cleanup request after a failure: a tenth of the total, at most 5 s. */
    public Duration cleanup() {
        Duration tenth = total.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : tenth;
    }

    /**
     * How long after its first failure a request may still be retried: the first failure comes at most
     * {@link #attempt()} after the store stopped answering, and cleanup needs its share, so the whole stays
     * within {@link #total()}.
     */
    public Duration retryBudget() {
        return total.minus(attempt()).minus(cleanup().multipliedBy(CLEANUP_REQUESTS));
    }

    @Override
    public String toString() {
        return Durations.format(total);
    }
}
