package io.backtrack.controller.schedule;

import io.backtrack.api.drill.DrillRecord;

import java.util.List;

/**
 * What a BackupSchedule's status says of its drills: when the next one is due (drill.schedule) or how many backups
 * completed since the last (drill.everyBackups), since when drills are configured, the one running and the finished
 * ones, newest first.
 */
public record DrillState(String nextDrillTime, Long backupsSinceLastDrill, String drillSince, DrillRecord activeDrill,
                         DrillRecord lastDrill, List<DrillRecord> history) {
    public static final DrillState NONE = new DrillState(null, null, null, null, null, List.of());

    public DrillState {
        history = history == null ? List.of() : List.copyOf(history);
    }
}
