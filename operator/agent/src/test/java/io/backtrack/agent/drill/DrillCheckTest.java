package io.backtrack.agent.drill;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DrillCheckTest {
    private static DrillCheck expect(String expect) {
        return new DrillCheck("c", "SELECT 1", expect);
    }

    @Test
    void plainValuesCompareAsNumbersOrText() {
        assertThat(expect("t").accepts("t")).isTrue();
        assertThat(expect("t").accepts("f")).isFalse();
        assertThat(expect("5").accepts("5.0")).isTrue();
        assertThat(expect("= orders").accepts("orders")).isTrue();
        assertThat(expect("null").accepts(null)).isTrue();
        assertThat(expect("0").accepts(null)).isFalse();
    }

    @Test
    void operatorsCompareNumbers() {
        assertThat(expect("> 0").accepts("12")).isTrue();
        assertThat(expect("> 0").accepts("0")).isFalse();
        assertThat(expect(">= 100").accepts("100")).isTrue();
        assertThat(expect("< 3").accepts("2.5")).isTrue();
        assertThat(expect("!= 0").accepts("7")).isTrue();
        assertThat(expect("<> 0").accepts("0")).isFalse();
        assertThat(expect("> 0").accepts("lots")).as("not a number").isFalse();
        assertThat(expect("> 0").accepts(null)).isFalse();
    }

    @Test
    void aComparisonWithoutANumberIsRefused() {
        assertThatThrownBy(() -> expect("> lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a number");
        assertThatThrownBy(() -> new DrillCheck(" ", "SELECT 1", "t")).isInstanceOf(IllegalArgumentException.class);
    }
}
