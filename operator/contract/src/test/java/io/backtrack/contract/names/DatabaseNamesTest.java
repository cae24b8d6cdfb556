package io.backtrack.contract.names;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseNamesTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final Instant AT = Instant.parse("2026-11-22T03:15:00Z");

    @Test
    void shortNamesKeepTheTargetWhole() {
        assertThat(DatabaseNames.side("orders", DatabaseNames.archiveTag(SHA))).isEqualTo("orders_restoring_9f86d081");
        assertThat(DatabaseNames.side("orders", "1A2B3")).isEqualTo("orders_restoring_1a2b3");
        assertThat(DatabaseNames.previous("orders", AT)).isEqualTo("orders_before_restore_20261122t031500z");
        assertThat(DatabaseNames.drill("orders", AT)).isEqualTo("orders_drill_20261122t031500z");
    }

    @Test
    void theSideNameIsTheSameForEveryStepOfOneRestore() {
        assertThat(DatabaseNames.side("orders", DatabaseNames.archiveTag(SHA)))
                .isEqualTo(DatabaseNames.side("orders", DatabaseNames.archiveTag(SHA)))
                .isNotEqualTo(DatabaseNames.side("orders", DatabaseNames.archiveTag("0" + SHA)));
        assertThat(DatabaseNames.archiveTag(null)).isEqualTo("00000000");
        assertThat(DatabaseNames.archiveTag("abc")).isEqualTo("00000000");
    }

    @Test
    void longNamesAreCutToSixtyThreeBytesKeepingTheSuffix() {
        String target = "x".repeat(63);
        String side = DatabaseNames.side(target, DatabaseNames.archiveTag(SHA));
        String previous = DatabaseNames.previous(target, AT);
        String drill = DatabaseNames.drill("o".repeat(70), AT);
        assertThat(side.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(side).endsWith("_restoring_9f86d081");
        assertThat(previous.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(previous).endsWith("_before_restore_20261122t031500z");
        assertThat(drill.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(drill).endsWith("_drill_20261122t031500z");
    }

    @Test
    void multiByteNamesAreCutAtCharacterBoundariesByteByByte() {
        String side = DatabaseNames.side("ä".repeat(40), DatabaseNames.archiveTag(SHA)); // 80 bytes of target
        assertThat(side.getBytes(StandardCharsets.UTF_8).length).isEqualTo(63); // 22 two-byte characters + 19
        assertThat(side).startsWith("ää").endsWith("_restoring_9f86d081").doesNotContain("\uFFFD");
        String emoji = DatabaseNames.previous("\uD83D\uDE00".repeat(20), AT); // 4 bytes each, room for 7 of them
        assertThat(emoji).isEqualTo("\uD83D\uDE00".repeat(7) + "_before_restore_20261122t031500z");
        assertThat(emoji.getBytes(StandardCharsets.UTF_8)).hasSize(60);
    }

    @Test
    void explicitNamesMustFit() {
        assertThat(DatabaseNames.requireValid("orders_side", "--side-database")).isEqualTo("orders_side");
        assertThatThrownBy(() -> DatabaseNames.requireValid("y".repeat(64), "--side-database"))
                .hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> DatabaseNames.requireValid(" ", "--previous-database"))
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> DatabaseNames.requireValid("a\0b", "--dbname")).hasMessageContaining("NUL");
    }
}
