package io.backtrack.controller.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetFileClockTest {
    static final Instant NOW = Instant.parse("2026-11-22T02:00:00Z");

    @Test
    void addsTheOffsetInTheFileAndNothingWithoutOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("offset");
        OffsetFileClock clock = new OffsetFileClock(file, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(clock.instant()).isEqualTo(NOW);
        Files.writeString(file, "PT2H30M\n");
        Thread.sleep(150);  // the file is re-read at most every 100 ms
        assertThat(clock.instant()).isEqualTo(NOW.plusSeconds(9000));
    }

    @Test
    void anUnreadableOffsetKeepsTheLastGoodOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("offset");
        Files.writeString(file, "PT1H");
        OffsetFileClock clock = new OffsetFileClock(file, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(clock.instant()).isEqualTo(NOW.plusSeconds(3600));
        Files.writeString(file, "tomorrow");
        Thread.sleep(150);
        assertThat(clock.instant()).isEqualTo(NOW.plusSeconds(3600));
    }
}
