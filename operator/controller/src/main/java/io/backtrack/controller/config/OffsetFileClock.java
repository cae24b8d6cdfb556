package io.backtrack.controller.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * For tests only: the system clock plus an offset read from a file (an ISO-8601 duration such as PT2H30M), so a
 * test harness can move the operator's time forward without waiting. The file is re-read at most every 100 ms;
 * a missing or unreadable file means no offset.
 */
public final class OffsetFileClock extends Clock {
    private static final long RECHECK_NANOS = 100_000_000L;

    private final Path file;
    private final Clock system;
    private volatile Duration offset = Duration.ZERO;
    private volatile long checkedAt = Long.MIN_VALUE;

    public OffsetFileClock(Path file, Clock system) {
        this.file = file;
        this.system = system;
    }

    @Override
    public Instant instant() {
        return system.instant().plus(offset());
    }

    Duration offset() {
        long now = System.nanoTime();
        if (checkedAt == Long.MIN_VALUE || now - checkedAt > RECHECK_NANOS) {
            checkedAt = now;
            offset = read();
        }
        return offset;
    }

    private Duration read() {
        try {
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            return text.isEmpty() ? Duration.ZERO : Duration.parse(text);
        } catch (IOException | RuntimeException e) {
            return offset;
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the operator's clock is UTC");
    }
}
