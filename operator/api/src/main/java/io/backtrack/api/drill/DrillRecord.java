package io.backtrack.api.drill;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** One drill of a BackupSchedule, as its status records it (also after its Restore is gone). */
public record DrillRecord(
        @JsonPropertyDescription("The drill's Restore (kubectl get dbrestore NAME); empty when it could not start.")
        String restore,
        @JsonPropertyDescription("The Backup drilled.")
        String backup,
        @JsonPropertyDescription("When the drill started (its Restore was created).")
        String startedAt,
        @JsonPropertyDescription("When it ended.")
        String completedAt,
        @JsonPropertyDescription("Seconds from the drill's start to a restored database whose row counts matched the "
                + "manifest: the measured recovery time (RTO).")
        Double recoverySeconds,
        @JsonPropertyDescription("Tables whose row counts were compared.")
        Integer tables,
        @JsonPropertyDescription("Rows restored (equal to the manifest's on success).")
        Long rows,
        @JsonPropertyDescription("The checks and their values.")
        List<DrillCheckRecord> checks,
        @JsonPropertyDescription("Running, Succeeded or Failed.")
        DrillOutcome result,
        @JsonPropertyDescription("Why it failed: ArchiveCorrupt, VerificationFailed (row counts or a check), "
                + "DatabaseUnreachable, DeadlineExceeded, LiveDatabaseTarget, SecretNotFound, ...")
        String reason,
        @JsonPropertyDescription("One line for people.")
        String message,
        @JsonPropertyDescription("The scratch database.")
        String scratchDatabase) {
}
