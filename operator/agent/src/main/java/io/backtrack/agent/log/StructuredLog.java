package io.backtrack.agent.log;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One-line {@code key=value} log records on stderr (stdout carries only the result line).
 * Callers pass only non-secret values: passwords and secret keys never reach this class.
 */
public final class StructuredLog {
    private static final PrintStream OUT = System.err;

    private StructuredLog() {
    }

    public static void info(String event, Object... keyValues) {
        write("info", event, keyValues);
    }

    public static void warn(String event, Object... keyValues) {
        write("warn", event, keyValues);
    }

    public static void error(String event, Object... keyValues) {
        write("error", event, keyValues);
    }

    private static void write(String level, String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(128)
                .append("ts=").append(Instant.now())
                .append(" level=").append(level)
                .append(" event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quote(String.valueOf(keyValues[i + 1])));
        }
        synchronized (OUT) {
            OUT.println(line);
        }
    }

    private static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20);
        if (plain) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "") + '"';
    }
}
