package io.backtrack.contract.durations;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one duration format of Backtrack, as Kubernetes users write durations: hours, minutes and seconds, each at most
 * once and in that order ({@code 720h}, {@code 90m}, {@code 1h30m}, {@code 30s}, {@code 0s}). A Backup's ttl, a
 * retention's maxAge (the CRD schema's pattern is {@link #PATTERN}) and the agent's duration flags
 * ({@code --lock-timeout}, {@code --check-timeout}, {@code --storage-timeout}) all accept exactly this, so what the
 * API server lets through the operator and the agent can read, and {@code 1.5h} or {@code 30m1h} are refused
 * everywhere rather than misread anywhere.
 */
public final class Durations {
    /** An RE2 pattern (the API server's regular expressions have no lookahead) that Java reads the same way. */
    public static final String PATTERN = "^([0-9]+h([0-9]+m)?([0-9]+s)?|[0-9]+m([0-9]+s)?|[0-9]+s)$";
    private static final Pattern FORMAT = Pattern.compile(PATTERN);

    private Durations() {
    }

    /**
     * @param what names the value in the message, e.g. {@code ttl} or {@code --lock-timeout}
     * @throws IllegalArgumentException naming {@code what} and the text when it is not a duration
     */
    public static Duration parse(String text, String what) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw new IllegalArgumentException(what + " \"" + text + "\" is not a duration like 720h, 90m or 1h30m "
                    + "(hours, minutes, seconds, each once, in that order)");
        }
        return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
    }

    /** Empty for an unset (null or blank) value; otherwise as {@link #parse}. */
    public static Optional<Duration> parseOptional(String text, String what) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(parse(text, what));
    }

    /** The duration in this format, to the second (what is below a second is left out): {@code 1h30m}, {@code 0s}. */
    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        append(text, seconds / 3600, "h");
        append(text, seconds % 3600 / 60, "m");
        append(text, seconds % 60, "s");
        return text.toString();
    }

    private static void append(StringBuilder text, long value, String unit) {
        if (value > 0) {
            text.append(value).append(unit);
        }
    }
}
