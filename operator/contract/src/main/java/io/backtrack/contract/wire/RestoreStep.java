package io.backtrack.contract.wire;

/**
 * The agent's unit of a restore, one Job each when the operator runs it ({@code --step}, and the Job label
 * {@code backtrack.io/step}): check, then (after the operator's safety backup and quiesce) restore, then compare;
 * or all of them in one process from a laptop. Not to be confused with the Restore resource's lifecycle, its
 * {@code status.phase} (Pending, Quiescing, SafetyBackup, Restoring, Verifying, Completed, Failed).
 */
public enum RestoreStep implements WireValue {
    /** Touches nothing: manifest, archive (full SHA-256 and decompression), server, version, tools, scope, strategy. */
    CHECK("check"),
    /** Streams the archive into pg_restore: a new database, a side database, or the target in place. */
    RESTORE("restore"),
    /**
     * Compares the restored tables' row counts with the manifest's; for swap then puts the side database in place.
     * An inPlace restore has no compare step: it compares inside its own transaction, in the restore step.
     */
    COMPARE("compare"),
    /** check, restore and compare in one process. */
    ALL("all");

    /** The agent's default, for annotations. */
    public static final String DEFAULT_VALUE = "all";

    private final String wireName;

    RestoreStep(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static RestoreStep parse(String value) {
        return WireValue.parse(RestoreStep.class, value, "step");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
