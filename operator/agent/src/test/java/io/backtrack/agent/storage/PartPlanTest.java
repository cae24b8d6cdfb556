package io.backtrack.agent.storage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.backtrack.agent.storage.PartPlan.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartPlanTest {
    private static final long GIB = 1024 * MIB;
    private static final long TIB = 1024 * GIB;

    /** Every part full but the last, as the writer sends them: 10,000 parts must hold any object S3 accepts. */
    @ParameterizedTest
    @CsvSource({"8,0", "5,0", "16,0", "8,1", "8,60", "8,1024", "8,5120", "8,51200", "512,0"})
    void tenThousandPartsHoldFiveTebibytesWhateverTheEstimate(long baseMib, long estimateGib) {
        PartPlan plan = new PartPlan(baseMib * MIB, estimateGib * GIB);
        long written = 0;
        long previous = 0;
        for (int n = 1; n <= PartPlan.MAX_PARTS; n++) {
            long size = plan.sizeOf(n, written);
            assertThat(size).as("part %d", n).isBetween(PartPlan.MIN_PART, PartPlan.MAX_PART)
                    .isGreaterThanOrEqualTo(previous);
            previous = size;
            written += size;
        }
        assertThat(written).isGreaterThanOrEqualTo(PartPlan.MAX_OBJECT);
    }

    @Test
    void withoutAnEstimateSmallArchivesKeepTheBaseSize() {
        PartPlan plan = new PartPlan(8 * MIB, 0);
        long written = 0;
        int n = 1;
        while (written < 26 * GIB) {
            assertThat(plan.sizeOf(n, written)).as("part %d", n).isEqualTo(8 * MIB);
            written += 8 * MIB;
            n++;
        }
        assertThat(plan.sizeOf(n + 10, written + 80 * MIB)).isEqualTo(16 * MIB);
    }

    @Test
    void sixtyGibibytesEndInThirtyTwoMebibyteParts() {
        PartPlan plan = new PartPlan(8 * MIB, 0);
        long written = 0;
        int n = 1;
        long size = 0;
        while (written < 60 * GIB) {
            size = plan.sizeOf(n++, written);
            written += size;
        }
        assertThat(size).isEqualTo(32 * MIB);
        assertThat(n).isLessThan(PartPlan.MAX_PARTS);
    }

    @Test
    void refusesPartsS3DoesNotTake() {
        assertThatThrownBy(() -> new PartPlan(4 * MIB, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartPlan(6 * GIB, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEstimateSpreadsALargeArchiveOverThePartsFromTheStart() {
        assertThat(new PartPlan(8 * MIB, TIB).sizeOf(1, 0)).isEqualTo(128 * MIB);
        assertThat(new PartPlan(8 * MIB, 5 * TIB).sizeOf(1, 0)).isEqualTo(1024 * MIB);
        assertThat(new PartPlan(8 * MIB, 20 * GIB).sizeOf(1, 0)).isEqualTo(8 * MIB);
    }
}
