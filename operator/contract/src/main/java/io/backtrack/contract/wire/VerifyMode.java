package io.backtrack.contract.wire;

/**
 * What proves the restored data is the backup's: the agent's {@code --verify}, the Restore resource's
 * {@code spec.verify} (the CRD's own enum, same spellings, same default). The compare step does the counting.
 */
public enum VerifyMode implements WireValue {
    /** Every restored table's row count equals the manifest's (within scope). */
    ROW_COUNTS("rowCounts"),
    NONE("none");

    /** The default, for annotations. */
    public static final String DEFAULT_VALUE = "rowCounts";

    private final String wireName;

    VerifyMode(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static VerifyMode parse(String value) {
        return WireValue.parse(VerifyMode.class, value, "verify mode");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
