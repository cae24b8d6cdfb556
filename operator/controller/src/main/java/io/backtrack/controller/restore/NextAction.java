package io.backtrack.controller.restore;

/**
 * What a Restore does next once its check step has passed, always in this order: quiesce the workloads, then take
 * the safety backup (so no write falls between the snapshot and the scale-down), then run the restore step. What
 * status records as done is not done again, so a Restore an older operator began with its safety backup still
 * quiesces before it restores.
 */
enum NextAction {
    QUIESCE, SAFETY_BACKUP, RESTORE;

    static NextAction next(boolean workloads, boolean quiesced, boolean safetyBackup, boolean safetyBackupTaken) {
        if (workloads && !quiesced) {
            return QUIESCE;
        }
        if (safetyBackup && !safetyBackupTaken) {
            return SAFETY_BACKUP;
        }
        return RESTORE;
    }
}
