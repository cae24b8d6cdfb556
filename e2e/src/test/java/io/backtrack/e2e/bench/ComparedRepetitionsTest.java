package io.backtrack.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compared cases' extra rounds: the run line names them, and every table but the hand pipeline's sees only the
 * rounds in which every case ran, so no ratio there mixes rounds.
 */
class ComparedRepetitionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void moreRepetitionsOfTheComparedCasesAreNamed() {
        ObjectNode run = JSON.createObjectNode().put("reps", 3).put("compareReps", 5);
        assertThat(PerformanceReport.compared(run))
                .startsWith(" (5 of the agent's default backup, the hand pipeline and `-Z0 > /dev/null`")
                .contains("their first 3, the rounds in which every case ran");
    }

    @Test
    void asManyOrAnOlderResultFileWithoutTheFieldSayNothing() {
        assertThat(PerformanceReport.compared(JSON.createObjectNode().put("reps", 3).put("compareReps", 3))).isEmpty();
        assertThat(PerformanceReport.compared(JSON.createObjectNode().put("reps", 3))).isEmpty();
    }

    @Test
    void sameRoundsCutsTheExtraRunsAndTakesTheMediansAgain() {
        ObjectNode run = JSON.createObjectNode().put("reps", 3).put("compareReps", 5);
        run.putArray("comparedCases").add("agent backup");
        ArrayNode cases = run.putArray("cases");
        // The extra rounds 4 and 5 were quick: over all five runs the median is 5.0, over the first three 6.0.
        ObjectNode agent = addCase(cases, "agent backup", 300_000, 8, 6, 5, 2, 1);
        agent.put("medianIoWaitSeconds", 0.0);
        addCase(cases, "lever", 100_000, 7, 7, 7);
        // Restores repeat as often as they were asked to, whatever the backups' rounds: left whole.
        addCase(cases, "agent restore", 100_000, 9, 8, 7, 6, 5);

        JsonNode rounds = PerformanceReport.sameRounds(run);

        JsonNode cut = rounds.get("cases").get(0);
        assertThat(cut.get("runs")).hasSize(3);
        assertThat(cut.path("medianSeconds").asDouble()).isEqualTo(6.0);
        assertThat(cut.path("medianPostgresCpuSeconds").asDouble()).isEqualTo(3.0);
        assertThat(cut.path("medianS3proxyCpuSeconds").asDouble()).isEqualTo(0.6);
        assertThat(cut.path("medianIoWaitSeconds").asDouble()).isEqualTo(0.06);
        assertThat(cut.path("peakRssKb").asLong()).as("the highest of every run").isEqualTo(300_000);
        assertThat(rounds.get("cases").get(1)).isEqualTo(run.get("cases").get(1));
        assertThat(rounds.get("cases").get(2)).isEqualTo(run.get("cases").get(2));
        assertThat(agent.get("runs")).as("the input is left as it was").hasSize(5);
        assertThat(agent.path("medianSeconds").asDouble()).isEqualTo(5.0);
        assertThat(PerformanceReport.sameRounds(null)).isNull();
    }

    /** A case whose median fields are those of all its runs, as DataPathBench writes them. */
    private static ObjectNode addCase(ArrayNode cases, String name, long peakRssKb, double... walls) {
        ObjectNode c = cases.addObject().put("name", name).put("peakRssKb", peakRssKb);
        ArrayNode runs = c.putArray("runs");
        for (double w : walls) {
            runs.addObject().put("wallSeconds", w).put("postgresCpuSeconds", w / 2).put("s3proxyCpuSeconds", w / 10)
                    .put("ioWaitSeconds", w / 100);
        }
        double[] sorted = walls.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        return c.put("medianSeconds", median).put("medianPostgresCpuSeconds", median / 2)
                .put("medianS3proxyCpuSeconds", median / 10);
    }
}
