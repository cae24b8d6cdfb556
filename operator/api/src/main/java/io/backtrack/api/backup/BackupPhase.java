package io.backtrack.api.backup;

/** Where a Backup is, for humans; machines read the Ready condition. */
public enum BackupPhase {
    Pending, Running, Completed, Failed;

    public boolean isTerminal() {
        return this == Completed || this == Failed;
    }
}
