package io.backtrack.controller.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a schedule as users write it into a plain 5-field cron expression: nicknames are spelled out and
 * Jenkins-style {@code H} is replaced by a value derived from a hash of the schedule's namespace/name, so
 * 500 schedules saying {@code H 2 * * *} spread over the hour yet each always runs at the same minute.
 *
 * <p>Supported: {@code H}, {@code H(a-b)}, {@code H/n}, {@code H(a-b)/n}. Day of month hashes into 1-28 so
 * every month has the day.
 */
public final class HashedCron {
    private static final Map<String, String> NICKNAMES = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final String[] FIELD_NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[] MIN = {0, 0, 1, 1, 0};
    private static final int[] MAX = {59, 23, 28, 12, 6};
    private static final Pattern H_TERM = Pattern.compile("^H(?:\\((\\d+)-(\\d+)\\))?(?:/(\\d+))?$");

    private HashedCron() {
    }

    /** The five fields of the expression with every H resolved for the schedule {@code namespace/name}. */
    public static List<String> expand(String expression, String namespace, String name) throws InvalidScheduleException {
        if (expression == null || expression.isBlank()) {
            throw new InvalidScheduleException("spec.schedule is empty");
        }
        String trimmed = expression.trim();
        String plain = trimmed.startsWith("@") ? NICKNAMES.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (plain == null) {
            throw new InvalidScheduleException("schedule \"" + trimmed + "\" uses an unknown nickname; use @hourly, @daily, "
                    + "@weekly, @monthly or @yearly");
        }
        String[] fields = plain.split("\\s+");
        if (fields.length != 5) {
            throw new InvalidScheduleException("schedule \"" + trimmed + "\" has " + fields.length
                    + " fields; cron needs 5: minute hour day-of-month month day-of-week");
        }
        byte[] seed = seed(namespace + "/" + name);
        List<String> expanded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<String> terms = new ArrayList<>();
            for (String term : fields[i].split(",", -1)) {
                terms.add(term.startsWith("H") ? resolve(term, i, hash(seed, i), trimmed) : term);
            }
            expanded.add(String.join(",", terms));
        }
        return expanded;
    }

    private static String resolve(String term, int field, long hash, String expression) throws InvalidScheduleException {
        Matcher m = H_TERM.matcher(term);
        if (!m.matches()) {
            throw new InvalidScheduleException("schedule \"" + expression + "\": \"" + term + "\" in the " + FIELD_NAMES[field]
                    + " field is not H, H(a-b), H/n or H(a-b)/n");
        }
        int low = m.group(1) == null ? MIN[field] : Integer.parseInt(m.group(1));
        int high = m.group(2) == null ? MAX[field] : Integer.parseInt(m.group(2));
        if (low > high || low < MIN[field] || high > (field == 2 ? 31 : MAX[field])) {
            throw new InvalidScheduleException("schedule \"" + expression + "\": range " + low + "-" + high + " in \"" + term
                    + "\" is outside the " + FIELD_NAMES[field] + " field");
        }
        if (m.group(3) == null) {
            return Long.toString(low + hash % (high - low + 1));
        }
        int step = Integer.parseInt(m.group(3));
        if (step < 1 || step > high - low + 1) {
            throw new InvalidScheduleException("schedule \"" + expression + "\": step " + step + " in \"" + term
                    + "\" must be between 1 and " + (high - low + 1));
        }
        return (low + hash % step) + "-" + high + "/" + step;
    }

    private static byte[] seed(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Four bytes of the digest per field, so the fields of one schedule vary independently. */
    private static long hash(byte[] seed, int field) {
        long value = 0;
        for (int b = 0; b < 4; b++) {
            value = (value << 8) | (seed[field * 4 + b] & 0xff);
        }
        return value;
    }
}
