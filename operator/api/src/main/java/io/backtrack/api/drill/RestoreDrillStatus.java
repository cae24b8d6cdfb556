package io.backtrack.api.drill;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** What a drill Restore found, beyond its verification. */
public record RestoreDrillStatus(
        @JsonPropertyDescription("The scratch database the backup was restored into.")
        String scratchDatabase,
        @JsonPropertyDescription("True when the scratch database was left in place (keep, or it could not be dropped).")
        Boolean scratchKept,
        @JsonPropertyDescription("Seconds from the drill's start to a restored database whose row counts matched the "
                + "manifest: the measured recovery time (RTO).")
        Double recoverySeconds,
        @JsonPropertyDescription("The checks, in order.")
        List<DrillCheckStatus> checks) {
}
