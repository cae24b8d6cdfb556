package io.backtrack.controller.drill;

import io.backtrack.api.drill.DrillCheck;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DrillChecksTest {
    @Test
    void checksTheAgentAcceptsPass() {
        assertThat(DrillChecks.problems("drill", List.of(new DrillCheck("recent", "SELECT count(*) FROM orders", "> 0"),
                new DrillCheck("flag", "SELECT true", "t")), "30s")).isEmpty();
        assertThat(DrillChecks.problems("drill", List.of(), null)).isEmpty();
    }

    @Test
    void whatTheAgentWouldRefuseIsSaidBeforeAnythingRuns() {
        List<String> problems = DrillChecks.problems("drill", Arrays.asList(
                new DrillCheck("a", "SELECT 1", "> lots"),
                new DrillCheck("a", "SELECT 1", "1"),
                new DrillCheck("b", " ", "1"),
                null), "0s");
        assertThat(problems).hasSize(5);
        assertThat(String.join("\n", problems)).contains("a").contains("used twice")
                .contains("needs a name, sql and expect").contains("checkTimeout must be longer than 0s");
        assertThat(DrillChecks.problems("drill", List.of(), "soon")).singleElement().asString().contains("checkTimeout");
    }
}
