package io.backtrack.api.storage;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.backtrack.contract.durations.Durations;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Discovery: the backups in the bucket that have no Backup resource in the cluster become Backups with origin
 * Discovered, in the BackupStorage's namespace.
 */
public record StorageSync(
        @Required @Pattern(Durations.PATTERN)
        @JsonPropertyDescription("How often the prefix is searched for completed backups that no Backup in the "
                + "cluster points at, e.g. 1h; at least " + StorageSync.MIN_INTERVAL + ". The first search starts at "
                + "once; a search that finds more than one probe can report goes on at once until all are imported.")
        String interval) {

    public static final String MIN_INTERVAL = "1m";
}
