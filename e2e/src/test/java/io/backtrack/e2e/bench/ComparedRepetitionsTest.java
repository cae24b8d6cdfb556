package io.backtrack.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The run line says when the compared cases ran more often than the levers, and only then. */
class ComparedRepetitionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void moreRepetitionsOfTheComparedCasesAreNamed() {
        ObjectNode run = JSON.createObjectNode().put("reps", 3).put("compareReps", 5);
        assertThat(PerformanceReport.compared(run))
                .startsWith(" (5 of the agent's default backup, the hand pipeline and `-Z0 > /dev/null`");
    }

    @Test
    void asManyOrAnOlderResultFileWithoutTheFieldSayNothing() {
        assertThat(PerformanceReport.compared(JSON.createObjectNode().put("reps", 3).put("compareReps", 3))).isEmpty();
        assertThat(PerformanceReport.compared(JSON.createObjectNode().put("reps", 3))).isEmpty();
    }
}
