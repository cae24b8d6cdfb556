package io.backtrack.agent.restore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Default names of the databases a swap uses, within PostgreSQL's 63-byte identifier limit (the target's name
 * is cut at a character boundary, the suffix is kept). The side database's name depends only on the target and
 * the archive, so separately run phases (restore, then verify) arrive at the same name; the previous database's
 * carries the time of the swap.
 */
public final class DatabaseNames {
    public static final int MAX_BYTES = 63;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private DatabaseNames() {
    }

    /** {@code <target>_restoring_<first 8 hex of the archive's SHA-256>}. */
    public static String side(String target, String archiveSha256) {
        String hash = archiveSha256 == null || archiveSha256.length() < 8 ? "00000000" : archiveSha256.substring(0, 8);
        return fit(target, "_restoring_" + hash.toLowerCase(Locale.ROOT));
    }

    /** {@code <target>_before_restore_20261122t031500z}. */
    public static String previous(String target, Instant at) {
        return fit(target, "_before_restore_" + STAMP.format(at).toLowerCase(Locale.ROOT));
    }

    /** {@code <database>_drill_20261122t031500z}: a restore drill's scratch database. */
    public static String drill(String database, Instant at) {
        return fit(database, "_drill_" + STAMP.format(at).toLowerCase(Locale.ROOT));
    }

    /** Throws IllegalArgumentException unless the name is a usable database name (1..63 bytes). */
    public static String requireValid(String name, String option) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(option + " must not be empty");
        }
        if (bytes(name) > MAX_BYTES) {
            throw new IllegalArgumentException(option + " \"" + name + "\" is " + bytes(name)
                    + " bytes long; PostgreSQL database names hold at most " + MAX_BYTES);
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(option + " must not contain NUL");
        }
        return name;
    }

    static String fit(String base, String suffix) {
        int room = MAX_BYTES - bytes(suffix);
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            int size = bytes(new String(Character.toChars(cp)));
            if (used + size > room) {
                break;
            }
            kept.appendCodePoint(cp);
            used += size;
            i += Character.charCount(cp);
        }
        return kept + suffix;
    }

    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
