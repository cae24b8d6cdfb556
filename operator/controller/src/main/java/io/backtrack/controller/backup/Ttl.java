package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Durations in specs (ttl, maxAge): {@link BacktrackApi#DURATION_PATTERN}, the CRD schema's pattern. */
public final class Ttl {
    private static final Pattern FORMAT = Pattern.compile(BacktrackApi.DURATION_PATTERN);

    private Ttl() {
    }

    public static Optional<Duration> parse(String ttl) {
        if (ttl == null || ttl.isBlank()) {
            return Optional.empty();
        }
        if (!FORMAT.matcher(ttl).matches()) {
            throw new IllegalArgumentException("ttl \"" + ttl + "\" is not a duration like 720h, 90m or 1h30m "
                    + "(hours, minutes, seconds, each once, in that order)");
        }
        return Optional.of(Duration.parse("PT" + ttl.toUpperCase(java.util.Locale.ROOT)));
    }
}
