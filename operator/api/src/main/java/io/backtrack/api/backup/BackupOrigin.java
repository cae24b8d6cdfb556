package io.backtrack.api.backup;

/** Where a Backup resource came from, when not from a person or a schedule asking for a backup. */
public enum BackupOrigin {
    /**
     * Found in a bucket by a BackupStorage's sync: a completed backup written by another cluster (or by this one
     * before its state was lost) that had no Backup here. It backs up nothing, keeps its archive when deleted
     * (deletionPolicy Retain), and can be restored like any other.
     */
    Discovered
}
