package io.backtrack.controller.schedule;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashedCronTest {

    @Test
    void plainExpressionsAndNicknamesPassThrough() throws Exception {
        assertThat(HashedCron.expand("0 2 * * *", "shop", "nightly")).containsExactly("0", "2", "*", "*", "*");
        assertThat(HashedCron.expand("@hourly", "shop", "a")).containsExactly("0", "*", "*", "*", "*");
        assertThat(HashedCron.expand("@daily", "shop", "a")).containsExactly("0", "0", "*", "*", "*");
        assertThat(HashedCron.expand("@weekly", "shop", "a")).containsExactly("0", "0", "*", "*", "0");
        assertThat(HashedCron.expand("@monthly", "shop", "a")).containsExactly("0", "0", "1", "*", "*");
        assertThat(HashedCron.expand("@yearly", "shop", "a")).containsExactly("0", "0", "1", "1", "*");
    }

    @Test
    void hIsStablePerScheduleAndDiffersBetweenSchedules() throws Exception {
        List<String> once = HashedCron.expand("H H * * *", "shop", "orders");
        assertThat(HashedCron.expand("H H * * *", "shop", "orders")).isEqualTo(once);
        assertThat(HashedCron.expand("H H * * *", "other", "orders")).isNotEqualTo(once);
        int minute = Integer.parseInt(once.get(0));
        int hour = Integer.parseInt(once.get(1));
        assertThat(minute).isBetween(0, 59);
        assertThat(hour).isBetween(0, 23);
    }

    @Test
    void fiveHundredSchedulesSpreadOverTheHour() throws Exception {
        Map<Integer, Integer> perMinute = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            int minute = Integer.parseInt(HashedCron.expand("H 2 * * *", "tenant-" + (i % 7), "db-" + i).get(0));
            perMinute.merge(minute, 1, Integer::sum);
        }
        // 500 over 60 minutes is ~8.3 per minute: every minute used, none crowded.
        assertThat(perMinute).hasSize(60);
        assertThat(perMinute.values()).allMatch(n -> n <= 20);
    }

    @Test
    void rangesAndStepsStayInside() throws Exception {
        for (int i = 0; i < 200; i++) {
            List<String> f = HashedCron.expand("H(0-29) H(1-5) H * H", "ns", "s" + i);
            assertThat(Integer.parseInt(f.get(0))).isBetween(0, 29);
            assertThat(Integer.parseInt(f.get(1))).isBetween(1, 5);
            assertThat(Integer.parseInt(f.get(2))).isBetween(1, 28);
            assertThat(Integer.parseInt(f.get(4))).isBetween(0, 6);
            String step = HashedCron.expand("H/15 * * * *", "ns", "s" + i).get(0);
            assertThat(step).matches("([0-9]|1[0-4])-59/15");
        }
        assertThat(HashedCron.expand("H(10-20)/5 * * * *", "ns", "x").get(0)).matches("1[0-4]-20/5");
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> HashedCron.expand("0 2 * *", "ns", "x")).hasMessageContaining("has 4 fields");
        assertThatThrownBy(() -> HashedCron.expand("@fortnightly", "ns", "x")).hasMessageContaining("unknown nickname");
        assertThatThrownBy(() -> HashedCron.expand("H(30-10) * * * *", "ns", "x")).hasMessageContaining("range 30-10");
        assertThatThrownBy(() -> HashedCron.expand("H(0-99) * * * *", "ns", "x")).hasMessageContaining("outside the minute field");
        assertThatThrownBy(() -> HashedCron.expand("Hx * * * *", "ns", "x")).hasMessageContaining("is not H, H(a-b)");
        assertThatThrownBy(() -> HashedCron.expand("H/0 * * * *", "ns", "x")).hasMessageContaining("step 0");
        assertThatThrownBy(() -> HashedCron.expand(" ", "ns", "x")).hasMessageContaining("empty");
    }
}
