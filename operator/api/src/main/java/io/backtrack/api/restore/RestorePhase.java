package io.backtrack.api.restore;

/** Where a Restore is, in the order it goes through them. Each change is an Event. */
public enum RestorePhase {
    Pending, Quiescing, SafetyBackup, Restoring, Verifying, Completed, Failed;

    public boolean isTerminal() {
        return this == Completed || this == Failed;
    }
}
