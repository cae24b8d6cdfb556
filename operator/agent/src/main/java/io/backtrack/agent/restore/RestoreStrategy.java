package io.backtrack.agent.restore;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a restore treats the target database (CLI values as in the Restore resource's {@code spec.strategy}). */
public enum RestoreStrategy {
    /** Restore into {@code --dbname}, which must not exist yet; dropped again on any failure. */
    NEW_DATABASE("newDatabase"),
    /** Restore into a side database, verify it, then rename the live database away and the side one into place. */
    SWAP("swap"),
    /** {@code pg_restore --clean --if-exists} into the existing target in one transaction, committed only after
     * the archive's SHA-256 matched. */
    IN_PLACE("inPlace");

    private final String cli;

    RestoreStrategy(String cli) {
        this.cli = cli;
    }

    public String cli() {
        return cli;
    }

    public static RestoreStrategy parse(String value) {
        for (RestoreStrategy s : values()) {
            if (s.cli.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + value + "': use "
                + Arrays.stream(values()).map(RestoreStrategy::cli).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cli;
    }
}
