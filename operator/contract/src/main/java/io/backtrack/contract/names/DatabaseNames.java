package io.backtrack.contract.names;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Names of the databases a restore makes next to its target, within PostgreSQL's 63-byte identifier limit
 * (PostgreSQL would silently cut a longer name and act on another database). The base name is cut at a character
 * boundary, byte by byte, and the suffix is always kept whole. The operator and the agent use the same rule: the
 * operator passes the names it derived to every step of a Restore, the agent derives them itself when run by hand.
 */
public final class DatabaseNames {
    public static final int MAX_BYTES = 63;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private DatabaseNames() {
    }

    /**
     * Where swap restores before it compares and renames: {@code <target>_restoring_<tag>}.
     *
     * @param tag a few hex digits that are the same for every step of one restore: the agent takes the archive's
     *            ({@link #archiveTag}), the operator a hash of the Restore's uid
     */
    public static String side(String target, String tag) {
        return fit(target, "_restoring_" + tag.toLowerCase(Locale.ROOT));
    }

    /** The first 8 hex digits of an archive's SHA-256 (zeros when there is none), a side database's tag. */
    public static String archiveTag(String archiveSha256) {
        return archiveSha256 == null || archiveSha256.length() < 8 ? "00000000" : archiveSha256.substring(0, 8);
    }

    /** What swap renames the replaced database to: {@code <target>_before_restore_20261122t031500z}. */
    public static String previous(String target, Instant at) {
        return fit(target, "_before_restore_" + stamp(at));
    }

    /** A restore drill's scratch database: {@code <database>_drill_20261122t031500z}. */
    public static String drill(String database, Instant at) {
        return fit(database, "_drill_" + stamp(at));
    }

    /**
     * Throws IllegalArgumentException, naming {@code what}, unless the name is a usable database name (1 to 63
     * bytes, no NUL).
     */
    public static String requireValid(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (bytes(name) > MAX_BYTES) {
            throw new IllegalArgumentException(what + " \"" + name + "\" is " + bytes(name)
                    + " bytes long; PostgreSQL database names hold at most " + MAX_BYTES);
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL");
        }
        return name;
    }

    /** As much of {@code base} as leaves room for {@code suffix} within {@link #MAX_BYTES}, then the suffix. */
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

    private static String stamp(Instant at) {
        return STAMP.format(at).toLowerCase(Locale.ROOT);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
