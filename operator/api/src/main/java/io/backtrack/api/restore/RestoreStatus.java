package io.backtrack.api.restore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a Restore. Written by the operator only. */
public record RestoreStatus(
        @JsonPropertyDescription("Pending (checking), Quiescing, SafetyBackup, Restoring, Verifying, then Completed or Failed.")
        RestorePhase phase,
        @JsonPropertyDescription("One line saying what happened last, for people.")
        String message,
        @JsonPropertyDescription("The backup folder being restored: s3://bucket/key.")
        String source,
        @JsonPropertyDescription("The target: host:port/database.")
        String target,
        @JsonPropertyDescription("The Backup of the target taken before it was touched.")
        String safetyBackupName,
        @JsonPropertyDescription("With swap: the replaced database, kept under this name; rename it back to undo.")
        String previousDatabase,
        @JsonPropertyDescription("True once the archive's SHA-256 matched its manifest, before anything was applied.")
        Boolean archiveVerified,
        @JsonPropertyDescription("Row counts after the restore against the manifest's.")
        Verification verification,
        @JsonPropertyDescription("Workloads scaled to 0, with the replica counts they are restored to.")
        List<QuiescedWorkload> quiesced,
        @JsonPropertyDescription("Roles the restore created on the target server before restoring (spec.roles: "
                + "createMissing); they stay if the restore fails.")
        List<String> rolesCreated,
        @JsonPropertyDescription("The Job currently running for this Restore.")
        String jobName,
        @JsonPropertyDescription("When the Restore started.")
        String startedAt,
        @JsonPropertyDescription("When it completed or failed.")
        String completedAt,
        @JsonPropertyDescription("Seconds from start to end: the measured recovery time.")
        Double durationSeconds,
        @JsonPropertyDescription("Ready: True once Completed; False with a reason otherwise.")
        List<Condition> conditions,
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration) {
}
