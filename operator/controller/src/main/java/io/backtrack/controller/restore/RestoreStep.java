package io.backtrack.controller.restore;

/**
 * The order of a Restore's steps once its check has passed: quiesce the workloads, then take the safety backup (so
 * no write falls between the snapshot and the scale-down), then restore. What status records as done is not done
 * again, so a Restore an older operator began with its safety backup still quiesces before it restores.
 */
enum RestoreStep {
    QUIESCE, SAFETY_BACKUP, RESTORE;

    static RestoreStep next(boolean workloads, boolean quiesced, boolean safetyBackup, boolean safetyBackupTaken) {
        if (workloads && !quiesced) {
            return QUIESCE;
        }
        if (safetyBackup && !safetyBackupTaken) {
            return SAFETY_BACKUP;
        }
        return RESTORE;
    }
}
