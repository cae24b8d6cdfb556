package io.backtrack.agent.restore;

/**
 * The steps of a restore, run as separate Jobs by the operator (check → its safety backup and quiesce →
 * restore → verify), or all in one process from a laptop.
 */
public enum RestorePhase {
    /** check, restore and verify in one process. */
    ALL("all"),
    /** Touches nothing: manifest, archive (full SHA-256 and decompression), server, version, tools, scope, strategy. */
    CHECK("check"),
    /** Streams the archive into pg_restore (new database, side database, or the target in place). */
    RESTORE("restore"),
    /** Compares row counts with the manifest; for swap then puts the side database in place. */
    VERIFY("verify");

    private final String cli;

    RestorePhase(String cli) {
        this.cli = cli;
    }

    public String cli() {
        return cli;
    }

    public static RestorePhase parse(String value) {
        for (RestorePhase p : values()) {
            if (p.cli.equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + value + "': use all, check, restore or verify");
    }

    @Override
    public String toString() {
        return cli;
    }
}
