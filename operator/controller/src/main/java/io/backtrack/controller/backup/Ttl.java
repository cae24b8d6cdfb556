package io.backtrack.controller.backup;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Backup ttl in the Kubernetes duration style (720h, 90m, 1h30m). */
public final class Ttl {
    private static final Pattern FORMAT = Pattern.compile("^([0-9]+[hms])+$");

    private Ttl() {
    }

    public static Optional<Duration> parse(String ttl) {
        if (ttl == null || ttl.isBlank()) {
            return Optional.empty();
        }
        if (!FORMAT.matcher(ttl).matches()) {
            throw new IllegalArgumentException("ttl \"" + ttl + "\" is not a duration like 720h, 90m or 1h30m");
        }
        return Optional.of(Duration.parse("PT" + ttl.toUpperCase()));
    }
}
