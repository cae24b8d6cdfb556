package io.backtrack.contract.drill;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckExpectationTest {
    @Test
    void valuesAndComparisonsAreRead() {
        assertThat(CheckExpectation.parse("c", "t")).isEqualTo(new CheckExpectation("=", "t"));
        assertThat(CheckExpectation.parse("c", " >= 100 ")).isEqualTo(new CheckExpectation(">=", "100"));
        assertThat(CheckExpectation.parse("c", "> 0").accepts("12")).isTrue();
        assertThat(CheckExpectation.parse("c", "> 0").accepts("0")).isFalse();
        assertThat(CheckExpectation.parse("c", "!= 0").accepts("lots")).isTrue();
        assertThat(CheckExpectation.parse("c", "null").accepts(null)).isTrue();
    }

    @Test
    void aComparisonWithoutANumberIsRefusedNamingTheCheck() {
        assertThatThrownBy(() -> CheckExpectation.parse("recent-orders", "> lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("check recent-orders: \"> lots\" compares with >, which needs a number");
        assertThatThrownBy(() -> CheckExpectation.parse("c", null)).hasMessageContaining("needs an expected value");
    }
}
