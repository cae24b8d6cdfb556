package io.backtrack.agent.storage;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern GO_DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final int CLEANUP_REQUESTS = 3;

    public StorageTimeouts {
        if (total.compareTo(MIN) < 0 || total.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("--storage-timeout must be between 5s and 24h, got " + format(total));
        }
    }

    public static StorageTimeouts defaults() {
        return parse(DEFAULT);
    }

    /** {@code 2m}, {@code 90s}, {@code 1m30s}, {@code 1h}, or plain seconds ({@code 120}). */
    public static StorageTimeouts parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+")) {
            return new StorageTimeouts(Duration.ofSeconds(Long.parseLong(t)));
        }
        Matcher m = GO_DURATION.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("--storage-timeout takes a duration like 2m, 90s or 1m30s, got '"
                    + text + "'");
        }
        Duration d = Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2)))
                .plusSeconds(number(m.group(3)));
        return new StorageTimeouts(d);
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
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

    /** {@code 2m}, {@code 1m30s}: the flag's own notation, for messages. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0 || b.length() == 0) {
            b.append(s % 60).append('s');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return format(total);
    }
}
