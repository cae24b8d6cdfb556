package io.backtrack.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The repetition-by-repetition range beside a ratio target: each pair from the same round of alternation. */
class PairedRangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pairsTheRepetitionsOfOneRoundAndShowsTheExtremes() {
        ObjectNode run = JSON.createObjectNode();
        ArrayNode cases = run.putArray("cases");
        addCase(cases, "base", 2.0, 2.2, 1.8);
        addCase(cases, "agent", 2.0, 2.0, 2.0);
        // Ratios 1.00, 1.10, 0.90: paired by index, not the medians' 1.00.
        assertThat(PerformanceReport.pairedRange(run, "base", "agent")).isEqualTo(" (by repetition: 0.90–1.10×)");
    }

    @Test
    void fewerThanTwoRepetitionsOrAMissingCaseShowNoRange() {
        ObjectNode run = JSON.createObjectNode();
        ArrayNode cases = run.putArray("cases");
        addCase(cases, "base", 2.0);
        addCase(cases, "agent", 2.0, 2.1);
        assertThat(PerformanceReport.pairedRange(run, "base", "agent")).isEmpty();
        assertThat(PerformanceReport.pairedRange(run, "missing", "agent")).isEmpty();
    }

    private static void addCase(ArrayNode cases, String name, double... walls) {
        ArrayNode runs = cases.addObject().put("name", name).putArray("runs");
        for (double w : walls) {
            runs.addObject().put("wallSeconds", w);
        }
    }
}
