package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.api.drill.DrillOutcome;

/** The newest proof that this backup restores (or that it does not): a drill, or a Restore that verified row counts. */
public record LastVerified(
        @JsonPropertyDescription("When that drill or Restore ended.")
        String at,
        @JsonPropertyDescription("Succeeded: restored, SHA-256 and row counts matched (and a drill's checks passed). "
                + "Failed: the archive or the restored data was not what the manifest says.")
        DrillOutcome result,
        @JsonPropertyDescription("Seconds from start to a verified database: the measured recovery time.")
        Double recoverySeconds,
        @JsonPropertyDescription("The Restore (drill or not) that verified it.")
        String restore,
        @JsonPropertyDescription("Why it failed (ArchiveCorrupt, VerificationFailed, ...); empty on success.")
        String reason) {
}
