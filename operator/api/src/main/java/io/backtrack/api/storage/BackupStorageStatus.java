package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** Observed state of a BackupStorage. Written by the operator only. */
public record BackupStorageStatus(
        @JsonPropertyDescription("One line saying what the last probe found, for people.")
        String message,
        @JsonPropertyDescription("When the last probe finished.")
        String lastProbeTime,
        @JsonPropertyDescription("Name of the newest probe Job.")
        String probeJobName,
        @JsonPropertyDescription("Completed backups (folders with a manifest.json) under the prefix at the last successful probe.")
        Integer backups,
        @JsonPropertyDescription("Bytes those backups take (archives and manifests).")
        Long bytes,
        @JsonPropertyDescription("bytes for people, e.g. 83.1 GiB.")
        String size,
        @JsonPropertyDescription("Available: True when the last probe could list, write, read back and delete; False "
                + "with the reason (BucketNotFound, StorageAuthFailed, StorageTlsFailed, StorageUnreachable, SecretNotFound, InvalidSpec, "
                + "Probing, ...). Ready says the same, for tools that read kstatus.")
        List<Condition> conditions,
        @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
        @JsonPropertyDescription("sync: when the last search of the prefix ended with every backup found imported.")
        String lastSyncTime,
        @JsonPropertyDescription("sync: Backups created by the last search (so far, while remaining is set).")
        Integer imported,
        @JsonPropertyDescription("sync: backups found that are still to be imported; the next probe runs at once.")
        Integer remaining,
        @JsonPropertyDescription("sync: folders under the prefix that are not imported because they are not a complete "
                + "backup (see skipped), at the last complete search.")
        Integer skippedCount,
        @JsonPropertyDescription("sync: the first of those folders, with the reason.")
        List<SkippedFolder> skipped) {
}
