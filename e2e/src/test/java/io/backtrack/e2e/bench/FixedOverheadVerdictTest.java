package io.backtrack.e2e.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixed-overhead verdict: the almost empty database's backup decides; a fit that cannot be a cost says so. */
class FixedOverheadVerdictTest {
    private static final double NONE = Double.NaN;

    @Test
    void aFitBelowTheFloorIsNoMeasurementAndTheEmptyBackupDecides() {
        String verdict = PerformanceReport.fixedOverheadVerdict(0.10, 0.51, 0.35, 0.3, "floor reason", "phases");
        assertThat(verdict).startsWith("**no**: floor reason").contains("below the floor every backup takes (0.35 s",
                "phases");
    }

    @Test
    void theEmptyBackupDecidesEvenWhenTheFitIsConsistent() {
        assertThat(PerformanceReport.fixedOverheadVerdict(0.28, 0.45, 0.20, 0.3, "", "")).startsWith("**no**");
        assertThat(PerformanceReport.fixedOverheadVerdict(0.22, 0.29, 0.20, 0.3, "", ""))
                .isEqualTo("yes: an almost empty database's backup takes 0.29 s");
    }

    @Test
    void aFitOutsideWhatACostCanBeIsSaidEvenWhenMet() {
        assertThat(PerformanceReport.fixedOverheadVerdict(-0.05, 0.28, NONE, 0.3, "", ""))
                .startsWith("yes").contains("below zero");
        assertThat(PerformanceReport.fixedOverheadVerdict(0.40, 0.28, NONE, 0.3, "", ""))
                .startsWith("yes").contains("above the almost empty database's whole backup");
    }

    @Test
    void withoutAnEmptyBackupTheFitDecidesOnlyWhenItCanBeACost() {
        assertThat(PerformanceReport.fixedOverheadVerdict(0.25, NONE, NONE, 0.3, "", "")).isEqualTo("yes");
        assertThat(PerformanceReport.fixedOverheadVerdict(0.35, NONE, NONE, 0.3, "", ""))
                .isEqualTo("**no** (see below)");
        assertThat(PerformanceReport.fixedOverheadVerdict(-0.1, NONE, NONE, 0.3, "", ""))
                .startsWith("**no**: this run's fit does not measure it");
    }

    @Test
    void judgedInHundredthsAsPrinted() {
        assertThat(PerformanceReport.fixedOverheadVerdict(0.25, 0.304, NONE, 0.3, "", "")).startsWith("yes");
        assertThat(PerformanceReport.fixedOverheadVerdict(0.25, 0.306, NONE, 0.3, "", "")).startsWith("**no**");
    }
}
