package io.backtrack.api.restore;

/** What proves the restored data matches the backup. */
public enum VerifyMode {
    none,
    /** Every table's row count equals the manifest's (within scope). */
    rowCounts
}
