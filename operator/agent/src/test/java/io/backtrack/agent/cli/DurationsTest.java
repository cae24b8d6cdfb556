package io.backtrack.agent.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {
    @Test
    void acceptsHoursMinutesSecondsInOrder() {
        assertThat(Durations.parse("30s", "--x")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("1h30m", "--x")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("0s", "--x")).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesWhatItCouldMisread() {
        for (String bad : new String[] {"30m1h", "1.5h", "", "h", "30", "-1s", "1d", "1h 2m"}) {
            assertThatThrownBy(() -> Durations.parse(bad, "--lock-timeout"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--lock-timeout");
        }
    }
}
