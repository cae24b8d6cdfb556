package io.backtrack.controller.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NextWakeTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private final NextWake wake = new NextWake(Duration.ofHours(1));

    @Test
    void wakesTheLeadBeforeAFarFiringThenExactlyAtIt() {
        Instant firing = NOW.plusSeconds(300);
        Duration first = wake.after(NOW, firing, List.of());
        assertThat(first).isEqualTo(Duration.ofSeconds(300).minus(NextWake.LEAD));
        Instant early = NOW.plus(first).plusMillis(400); // the timer started late, after a slow status patch
        assertThat(wake.after(early, firing, List.of())).isEqualTo(Duration.between(early, firing));
    }

    @Test
    void aFiringWithinNinetySecondsIsWaitedForExactly() {
        assertThat(wake.after(NOW, NOW.plusSeconds(5), List.of())).isEqualTo(Duration.ofSeconds(5));
        assertThat(wake.after(NOW, NOW.plusSeconds(60), List.of())).as("a schedule firing every minute")
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theNearestOfFiringExpiryAndMaximumWins() {
        assertThat(wake.after(NOW, NOW.plusSeconds(7200), List.of())).isEqualTo(Duration.ofHours(1));
        assertThat(wake.after(NOW, null, List.of(NOW.plusSeconds(90), NOW.minusSeconds(5))))
                .as("a past expiry is not waited for").isEqualTo(Duration.ofSeconds(90));
        assertThat(wake.after(NOW, NOW.plusSeconds(600), List.of(NOW.plusSeconds(30)))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aDueOrOverdueFiringWaitsTheMinimumNotZero() {
        assertThat(wake.after(NOW, NOW.minusSeconds(1), List.of())).isEqualTo(Duration.ofMillis(50));
    }
}
