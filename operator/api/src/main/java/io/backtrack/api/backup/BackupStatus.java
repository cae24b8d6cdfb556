package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a Backup. Written by the operator only. */
public record BackupStatus(
        @JsonPropertyDescription("Pending, Running, Completed or Failed.")
        BackupPhase phase,
        @JsonPropertyDescription("One line saying what happened last, for people.")
        String message,
        @JsonPropertyDescription("When the backup Job was created.")
        String startedAt,
        @JsonPropertyDescription("When the backup completed or failed.")
        String completedAt,
        @JsonPropertyDescription("Seconds from start to completion.")
        Double durationSeconds,
        @JsonPropertyDescription("Name of the Job that runs the agent.")
        String jobName,
        @JsonPropertyDescription("The archive in the bucket.")
        ArchiveStatus archive,
        @JsonPropertyDescription("The database at the time of the backup.")
        DatabaseStatus database,
        @JsonPropertyDescription("When the backup expires (completedAt + ttl).")
        String expiresAt,
        @JsonPropertyDescription("Ready: True once Completed; False with a reason (InvalidSpec, SecretNotFound, DatabaseAuthFailed, ...) otherwise.")
        List<Condition> conditions,
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
        @JsonPropertyDescription("The newest drill or Restore of this backup that verified it, and how it went.")
        LastVerified lastVerified) {
}
