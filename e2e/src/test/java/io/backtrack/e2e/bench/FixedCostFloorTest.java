package io.backtrack.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the report calls the fixed-cost target out of reach: only when the measured floor itself is above it. */
class FixedCostFloorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFloorAboveTheLimitIsTheReasonWithItsTerms() {
        String reason = PerformanceReport.fixedFloor(small(0.33, 0.07), 0.3);
        assertThat(reason).contains("not reachable", "0.33 s", "pg_dump alone 0.07 s");
        assertThat(PerformanceReport.fixedFloor(small(0.33, Double.NaN), 0.3)).contains("0.33 s")
                .doesNotContain("pg_dump alone");
    }

    @Test
    void aFloorAtOrBelowTheLimitAsPrintedProvesNothing() {
        assertThat(PerformanceReport.fixedFloor(small(0.304, 0.07), 0.3)).isEmpty();
        assertThat(PerformanceReport.fixedFloor(small(0.3, 0.07), 0.3)).isEmpty();
        assertThat(PerformanceReport.fixedFloor(small(0.15, 0.07), 0.3)).isEmpty();
    }

    @Test
    void aRunWithoutTheFloorHasNone() {
        ObjectNode noFloor = JSON.createObjectNode();
        noFloor.putArray("cases").addObject().put("name", DataPathBench.Z0 + DataPathBench.EMPTY)
                .put("medianSeconds", 0.4);
        assertThat(PerformanceReport.fixedFloor(noFloor, 0.3)).isEmpty();
        assertThat(PerformanceReport.fixedFloor(null, 0.3)).isEmpty();
    }

    private static JsonNode small(double floor, double dump) {
        ObjectNode run = JSON.createObjectNode();
        ArrayNode cases = run.putArray("cases");
        cases.addObject().put("name", DataPathBench.FLOOR + DataPathBench.EMPTY).put("medianSeconds", floor);
        if (!Double.isNaN(dump)) {
            cases.addObject().put("name", DataPathBench.Z0 + DataPathBench.EMPTY).put("medianSeconds", dump);
        }
        return run;
    }
}
