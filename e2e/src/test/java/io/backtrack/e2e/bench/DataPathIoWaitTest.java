package io.backtrack.e2e.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the data-path benchmark reads the cores' I/O wait from /proc/stat. */
class DataPathIoWaitTest {

    @Test
    void readsTheIoWaitColumnOfTheCpuLine() {
        assertThat(DataPathBench.ioWaitTicks("cpu  5265222 1371 741696 5966152 13883 0 75671 8609 0 0")).isEqualTo(13883);
    }

    @Test
    void anythingButTheAllCpusLineReadsAsUnknown() {
        assertThat(DataPathBench.ioWaitTicks("cpu0 5265222 1371 741696 5966152 13883 0 75671 8609 0 0")).isEqualTo(-1);
        assertThat(DataPathBench.ioWaitTicks("cpu  5265222 1371 741696 5966152")).isEqualTo(-1);
        assertThat(DataPathBench.ioWaitTicks("cpu  5265222 1371 741696 5966152 lots")).isEqualTo(-1);
        assertThat(DataPathBench.ioWaitTicks("")).isEqualTo(-1);
    }

    @Test
    void thisMachinesIoWaitNeverGoesBackwards() {
        long before = DataPathBench.ioWaitTicks();
        assertThat(before).as("/proc/stat's iowait on Linux").isNotNegative();
        assertThat(DataPathBench.ioWaitTicks()).isGreaterThanOrEqualTo(before);
    }
}
