package io.backtrack.controller.schedule;

import io.backtrack.controller.naming.Digests;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names of the Backups a schedule creates: {@code <schedule>-<yyyyMMdd-HHmmss>} of the due time in UTC (unique
 * across DST changes, sorts by time), at most 63 characters: a long schedule name is cut and given a short hash
 * so two long names never share a prefix.
 */
public final class RunNames {
    public static final int MAX_LENGTH = 63;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final int STAMP_LENGTH = 1 + 15;
    private static final int HASH_LENGTH = 5;

    private RunNames() {
    }

    public static String of(String scheduleName, Instant scheduledAt) {
        int room = MAX_LENGTH - STAMP_LENGTH;
        String base = scheduleName;
        if (base.length() > room) {
            String cut = base.substring(0, room - HASH_LENGTH - 1).replaceAll("[-.]+$", "");
            base = cut + "-" + Digests.sha256Hex(scheduleName, HASH_LENGTH);
        }
        return base + "-" + STAMP.format(scheduledAt);
    }
}
