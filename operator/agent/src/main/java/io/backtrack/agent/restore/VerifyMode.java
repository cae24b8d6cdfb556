package io.backtrack.agent.restore;

/** What the verify phase compares: the tables' row counts with the manifest's, or nothing. */
public enum VerifyMode {
    ROW_COUNTS("rowCounts"),
    NONE("none");

    private final String cli;

    VerifyMode(String cli) {
        this.cli = cli;
    }

    public static VerifyMode parse(String value) {
        for (VerifyMode m : values()) {
            if (m.cli.equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown verify mode '" + value + "': use rowCounts or none");
    }

    @Override
    public String toString() {
        return cli;
    }
}
