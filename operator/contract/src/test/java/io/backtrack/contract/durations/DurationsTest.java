package io.backtrack.contract.durations;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {
    static final Map<String, Duration> VALID = Map.of("720h", Duration.ofHours(720), "90m", Duration.ofMinutes(90),
            "1h30m", Duration.ofMinutes(90), "30s", Duration.ofSeconds(30), "2h3m4s", Duration.ofSeconds(7384),
            "1m1s", Duration.ofSeconds(61), "0s", Duration.ZERO);
    static final List<String> INVALID = List.of("1.5h", "30m1h", "1h1h", "1d", "h", "720", "-1h", "1h 30m", "5ms",
            "1H", "PT1H", " 1h", "1s1m", "");

    @Test
    void readsHoursMinutesAndSecondsEachOnceInOrder() {
        VALID.forEach((text, duration) -> assertThat(Durations.parse(text, "ttl")).as(text).isEqualTo(duration));
    }

    @Test
    void refusesWhatItCouldMisreadNamingTheSetting() {
        for (String bad : INVALID) {
            assertThatThrownBy(() -> Durations.parse(bad, "--lock-timeout")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--lock-timeout \"" + bad + "\" is not a duration like 720h, 90m or 1h30m (hours, "
                            + "minutes, seconds, each once, in that order)");
        }
    }

    @Test
    void anUnsetValueIsNoDuration() {
        assertThat(Durations.parseOptional(null, "ttl")).isEmpty();
        assertThat(Durations.parseOptional(" ", "ttl")).isEmpty();
        assertThat(Durations.parseOptional("1h", "ttl")).contains(Duration.ofHours(1));
    }

    @Test
    void formatsWhatItReads() {
        VALID.forEach((text, duration) -> assertThat(Durations.parse(Durations.format(duration), "x"))
                .isEqualTo(duration));
        assertThat(Durations.format(Duration.ofSeconds(5400))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
