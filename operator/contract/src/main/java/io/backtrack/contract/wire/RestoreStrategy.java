package io.backtrack.contract.wire;

/**
 * How a restore treats the target database: the agent's {@code --strategy}. The Restore resource's
 * {@code spec.strategy} (the CRD's own enum, same spellings, default swap) is passed on as it is; the agent's
 * command line defaults to {@link #NEW_DATABASE}, which replaces nothing.
 */
public enum RestoreStrategy implements WireValue {
    /** Restore into {@code --dbname}, which must not exist yet; dropped again on any failure. */
    NEW_DATABASE("newDatabase"),
    /** Restore into a side database, compare it, then rename the live database away and the side one into place. */
    SWAP("swap"),
    /**
     * Into the existing target in one transaction, committed only after the archive's SHA-256 matched and every
     * table's row count matched inside that transaction: it has no separate compare step.
     */
    IN_PLACE("inPlace");

    /** The agent's default, for annotations. */
    public static final String DEFAULT_VALUE = "newDatabase";

    private final String wireName;

    RestoreStrategy(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static RestoreStrategy parse(String value) {
        return WireValue.parse(RestoreStrategy.class, value, "strategy");
    }

    /** Whether the compare step runs as a step of its own (inPlace compares inside its restore step). */
    public boolean hasCompareStep() {
        return this != IN_PLACE;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
