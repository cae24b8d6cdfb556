package io.backtrack.controller.retention;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.controller.naming.LabelValues;

import java.util.Optional;

/** A running Restore marks the Backup it reads (label and finalizer); such a Backup is never pruned or expired. */
public final class RestoreProtection {
    private RestoreProtection() {
    }

    /** What protects the Backup, for the message ("in use by Restore x"), or empty when nothing does. */
    public static Optional<String> of(Backup backup) {
        var meta = backup.getMetadata();
        String restore = LabelValues.nameIn(backup, BacktrackApi.IN_USE_BY_RESTORE_LABEL);
        if (restore != null && !restore.isBlank()) {
            return Optional.of("in use by Restore " + restore);
        }
        if (meta.getFinalizers() != null && meta.getFinalizers().contains(BacktrackApi.RESTORE_PROTECTION_FINALIZER)) {
            return Optional.of("in use by a Restore (finalizer " + BacktrackApi.RESTORE_PROTECTION_FINALIZER + ")");
        }
        return Optional.empty();
    }
}
