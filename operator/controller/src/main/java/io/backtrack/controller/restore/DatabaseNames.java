package io.backtrack.controller.restore;

import io.backtrack.controller.job.JobNames;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names of the databases a swap creates, derived from the Restore so every step of it (and a restarted
 * operator) arrives at the same names. PostgreSQL identifiers hold at most 63 bytes.
 */
final class DatabaseNames {
    static final int MAX_BYTES = 63;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private DatabaseNames() {
    }

    /** Where swap restores before it is verified: {@code <target>_restoring_<hash>}. */
    static String side(String target, String restoreUid) {
        return fit(target, "_restoring_" + JobNames.shortHash(restoreUid));
    }

    /** What the replaced live database is renamed to: {@code <target>_before_restore_20261122t031500z}. */
    static String previous(String target, Instant startedAt) {
        return fit(target, "_before_restore_" + STAMP.format(startedAt).toLowerCase());
    }

    private static String fit(String base, String suffix) {
        int room = MAX_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            if (kept.toString().getBytes(StandardCharsets.UTF_8).length + ch.getBytes(StandardCharsets.UTF_8).length > room) {
                break;
            }
            kept.append(ch);
            i += Character.charCount(cp);
        }
        return kept + suffix;
    }
}
