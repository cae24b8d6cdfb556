package io.backtrack.controller.concurrency;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DueFiringsTest {
    private static final Instant DUE = Instant.parse("2026-12-06T02:00:00Z");
    private static final ResourceID NIGHTLY = new ResourceID("nightly", "shop");
    private static final ResourceID HOURLY = new ResourceID("hourly", "shop");

    private final DueFirings firings = new DueFirings();

    @Test
    void startsAreHeldOnlyWhileAFiringIsDueAndNotActedOn() {
        assertThat(firings.holdStarts(DUE)).as("no schedule known").isFalse();
        firings.expect(NIGHTLY, DUE);
        firings.expect(HOURLY, DUE.plusSeconds(3600));

        assertThat(firings.holdStarts(DUE.minusMillis(1))).as("not due yet").isFalse();
        assertThat(firings.holdStarts(DUE)).as("due, its run not created").isTrue();
        assertThat(firings.holdStarts(DUE.plusSeconds(4))).isTrue();

        firings.expect(NIGHTLY, DUE.plusSeconds(86_400));
        assertThat(firings.holdStarts(DUE.plusSeconds(1))).as("its schedule reconciled past it").isFalse();
    }

    @Test
    void aFiringNeverActedOnStopsHoldingAfterFiveSeconds() {
        firings.expect(NIGHTLY, DUE);

        assertThat(firings.holdStarts(DUE.plus(DueFirings.GIVE_UP).minusMillis(1))).isTrue();
        assertThat(firings.holdStarts(DUE.plus(DueFirings.GIVE_UP))).isFalse();
    }

    @Test
    void aScheduleWithoutNextFiringOrForgottenHoldsNothing() {
        firings.expect(NIGHTLY, DUE);
        firings.expect(NIGHTLY, null);
        assertThat(firings.holdStarts(DUE)).as("suspended").isFalse();

        firings.expect(HOURLY, DUE);
        firings.forget(HOURLY);
        assertThat(firings.holdStarts(DUE)).as("deleted").isFalse();
    }
}
