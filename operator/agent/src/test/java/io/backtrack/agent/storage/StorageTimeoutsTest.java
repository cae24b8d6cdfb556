package io.backtrack.agent.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageTimeoutsTest {

    @Test
    void readsTheFlagsDurations() {
        assertThat(StorageTimeouts.parse("2m").total()).isEqualTo(Duration.ofMinutes(2));
        assertThat(StorageTimeouts.parse("90s").total()).isEqualTo(Duration.ofSeconds(90));
        assertThat(StorageTimeouts.parse("1m30s").total()).isEqualTo(Duration.ofSeconds(90));
        assertThat(StorageTimeouts.parse("1h").total()).isEqualTo(Duration.ofHours(1));
        assertThat(StorageTimeouts.parse(" 120 ").total()).isEqualTo(Duration.ofMinutes(2));
        assertThat(StorageTimeouts.defaults().total()).isEqualTo(Duration.ofMinutes(2));
        assertThat(StorageTimeouts.parse("1m30s")).hasToString("1m30s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2 minutes", "-5s", "1s", "25h", "5m2h"})
    void refusesWhatIsNotADurationInRange(String text) {
        assertThatThrownBy(() -> StorageTimeouts.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--storage-timeout");
    }

    /** The first failure, the retries and the cleanup together never exceed the total. */
    @ParameterizedTest
    @ValueSource(strings = {"5s", "10s", "30s", "2m", "10m", "24h"})
    void theWorstCaseStaysWithinTheTotal(String text) {
        StorageTimeouts t = StorageTimeouts.parse(text);
        assertThat(t.retryBudget()).isPositive();
        assertThat(t.attempt().plus(t.retryBudget()).plus(t.cleanup().multipliedBy(3))).isEqualTo(t.total());
        assertThat(t.attempt()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(t.cleanup()).isLessThanOrEqualTo(t.attempt());
    }

    @Test
    void theDefaultGivesEachRequestThirtySecondsWithoutProgress() {
        StorageTimeouts t = StorageTimeouts.defaults();
        assertThat(t.attempt()).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.cleanup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.retryBudget()).isEqualTo(Duration.ofSeconds(75));
    }
}
