package io.backtrack.api.restore;

/** How a Restore puts the backup in place. */
public enum RestoreStrategy {
    /**
     * Restore into a side database, compare its row counts with the manifest's, then rename the live one away (kept)
     * and the side one into its place.
     */
    swap,
    /** pg_restore --clean --if-exists --single-transaction into the target; for roles that cannot create databases. */
    inPlace,
    /** Restore into target.database, which must not exist yet. */
    newDatabase
}
