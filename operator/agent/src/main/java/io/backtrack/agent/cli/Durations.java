package io.backtrack.agent.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** Durations on the command line as Kubernetes writes them: 30s, 2m, 1h30m (0s: none). */
final class Durations {
    /** Hours, minutes, seconds, each at most once and in that order ("30m1h" is refused, not misread). */
    private static final Pattern FORMAT = Pattern.compile("^(?=[0-9])([0-9]+h)?([0-9]+m)?([0-9]+s)?$");

    private Durations() {
    }

    static Duration parse(String text, String option) {
        String t = text == null ? "" : text.strip();
        if (!FORMAT.matcher(t).matches()) {
            throw new IllegalArgumentException(option + " \"" + text + "\" is not a duration like 30s, 2m or 1h30m");
        }
        return Duration.parse("PT" + t.toUpperCase(Locale.ROOT));
    }
}
