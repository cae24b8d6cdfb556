package io.backtrack.controller.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunNamesTest {
    static final Instant AT = Instant.parse("2026-11-22T01:00:00Z");

    @Test
    void scheduleNameAndUtcTimestamp() {
        assertThat(RunNames.of("orders-nightly", AT)).isEqualTo("orders-nightly-20261122-010000");
    }

    @Test
    void longNamesFit63CharactersAndStayDistinct() {
        String a = "orders-" + "a".repeat(60);
        String b = "orders-" + "a".repeat(59) + "b";
        String nameA = RunNames.of(a, AT);
        String nameB = RunNames.of(b, AT);
        assertThat(nameA).hasSize(63).endsWith("-20261122-010000").matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(nameB).hasSizeLessThanOrEqualTo(63).isNotEqualTo(nameA);
        assertThat(RunNames.of("x".repeat(47), AT)).isEqualTo("x".repeat(47) + "-20261122-010000");
    }

    @Test
    void distinctRunsGetDistinctNames() {
        assertThat(RunNames.of("s", AT)).isNotEqualTo(RunNames.of("s", AT.plusSeconds(3600)));
    }
}
