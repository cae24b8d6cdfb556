package io.backtrack.agent.restore;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseNamesTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void shortNamesKeepTheTargetWhole() {
        assertThat(DatabaseNames.side("orders", SHA)).isEqualTo("orders_restoring_9f86d081");
        assertThat(DatabaseNames.previous("orders", Instant.parse("2026-11-22T03:15:00Z")))
                .isEqualTo("orders_before_restore_20261122t031500z");
    }

    @Test
    void sideNameIsStableForTheSameTargetAndArchive() {
        assertThat(DatabaseNames.side("orders", SHA)).isEqualTo(DatabaseNames.side("orders", SHA));
        assertThat(DatabaseNames.side("orders", SHA)).isNotEqualTo(DatabaseNames.side("orders", "0" + SHA));
    }

    @Test
    void longNamesAreCutToSixtyThreeBytesKeepingTheSuffix() {
        String target = "x".repeat(63);
        String side = DatabaseNames.side(target, SHA);
        String previous = DatabaseNames.previous(target, Instant.parse("2026-11-22T03:15:00Z"));
        assertThat(side.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(side).endsWith("_restoring_9f86d081");
        assertThat(previous.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(previous).endsWith("_before_restore_20261122t031500z");
    }

    @Test
    void multiByteNamesAreCutAtCharacterBoundaries() {
        String target = "ä".repeat(40); // 80 bytes
        String side = DatabaseNames.side(target, SHA);
        assertThat(side.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(side).startsWith("ää").endsWith("_restoring_9f86d081").doesNotContain("\uFFFD");
    }

    @Test
    void explicitNamesMustFit() {
        assertThat(DatabaseNames.requireValid("orders_side", "--side-database")).isEqualTo("orders_side");
        assertThatThrownBy(() -> DatabaseNames.requireValid("y".repeat(64), "--side-database"))
                .hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> DatabaseNames.requireValid(" ", "--previous-database"))
                .hasMessageContaining("must not be empty");
    }
}
