package io.backtrack.api.restore;

/** Where a Restore is. Each change is an Event. */
public enum RestorePhase {
    Pending, SafetyBackup, Quiescing, Restoring, Verifying, Completed, Failed;

    public boolean isTerminal() {
        return this == Completed || this == Failed;
    }
}
