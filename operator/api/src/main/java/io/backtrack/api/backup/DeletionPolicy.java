package io.backtrack.api.backup;

/** What deleting a Backup resource does to its archive in the bucket. */
public enum DeletionPolicy {
    /** The archive and manifest stay in the bucket (default). */
    Retain,
    /** The archive and manifest are deleted before the resource goes away. */
    Delete
}
