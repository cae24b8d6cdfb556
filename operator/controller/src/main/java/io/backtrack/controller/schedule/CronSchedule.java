package io.backtrack.controller.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cron schedule evaluated in an IANA time zone.
 *
 * <p>cron-utils matches wall-clock times (evaluated in UTC, where no clock jumps); turning wall-clock times
 * into instants is done here, with the DST rules people expect from cron:
 * <ul>
 *   <li>a time skipped by a spring-forward jump runs once, shifted by the jump (02:30 becomes 03:30), unless
 *       the hour field is {@code *}: such a schedule runs every real hour anyway;</li>
 *   <li>a time repeated by a fall-back jump runs once, at its first occurrence, unless the hour field is
 *       {@code *}: then it runs in both hours, as every real hour has its run.</li>
 * </ul>
 */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final ZoneId WALL_CLOCK = ZoneOffset.UTC;
    // Longer than any DST overlap: how far around a transition other wall-clock times may map past each other.
    private static final Duration REACH = Duration.ofHours(3);
    private static final int MAX_STEPS = 2000;
    // cron-utils is most of a schedule reconcile's CPU (docs/performance.md): parsed schedules are shared by
    // expression and zone, and each remembers its recent answers (runs fall on whole minutes, see below).
    private static final int MAX_PARSED = 10_000;
    private static final Map<String, CronSchedule> PARSED = new ConcurrentHashMap<>();
    private static final int REMEMBERED = 32;
    /** How many upcoming runs the longest gap is measured over. */
    private static final int GAP_SAMPLE = 32;

    private final String expression;
    private final ExecutionTime times;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final boolean everyHour;
    private final Map<Long, Optional<Instant>> answers = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Optional<Instant>> eldest) {
            return size() > REMEMBERED;
        }
    });

    /** The longest gap as of an hour: walking 33 runs at every reconcile was more than half of its CPU. */
    private volatile Gap gap;

    private record Gap(long hour, Optional<Duration> longest) {
    }

    private CronSchedule(String expression, ExecutionTime times, ZoneId zone, boolean everyHour) {
        this.expression = expression;
        this.times = times;
        this.zone = zone;
        this.rules = zone.getRules();
        this.everyHour = everyHour;
    }

    /** Parses a schedule of {@code namespace/name} (H resolved from that) in {@code zone}. */
    public static CronSchedule parse(String schedule, ZoneId zone, String namespace, String name) throws InvalidScheduleException {
        List<String> fields = HashedCron.expand(schedule, namespace, name);
        String expression = String.join(" ", fields);
        String key = expression + " " + zone.getId();
        CronSchedule known = PARSED.get(key);
        if (known != null) {
            return known;
        }
        try {
            var cron = PARSER.parse(expression).validate();
            CronSchedule parsed = new CronSchedule(expression, ExecutionTime.forCron(cron), zone, fields.get(1).equals("*"));
            if (parsed.nextAfter(Instant.parse("2000-01-01T00:00:00Z")).isEmpty()) {
                throw new InvalidScheduleException("schedule \"" + schedule + "\" never fires");
            }
            if (PARSED.size() >= MAX_PARSED) {
                PARSED.clear();
            }
            PARSED.put(key, parsed);
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("schedule \"" + schedule + "\" is not a valid cron expression: " + e.getMessage());
        }
    }

    /** The expression handed to cron-utils, H resolved (shown in status so users see their hashed minute). */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * The longest gap between consecutive runs over the next {@value #GAP_SAMPLE} runs (the schedule's interval for
     * the overdue alert), as of {@code now}'s hour.
     */
    public Optional<Duration> longestGap(Instant now) {
        long hour = now.getEpochSecond() / 3600;
        Gap known = gap;
        if (known == null || known.hour() != hour) {
            known = new Gap(hour, measureLongestGap(now));
            gap = known;
        }
        return known.longest();
    }

    private Optional<Duration> measureLongestGap(Instant now) {
        Optional<Instant> previous = nextAfter(now);
        Duration longest = null;
        for (int i = 0; i < GAP_SAMPLE && previous.isPresent(); i++) {
            Optional<Instant> next = nextAfter(previous.get());
            if (next.isEmpty()) {
                break;
            }
            Duration step = Duration.between(previous.get(), next.get());
            if (longest == null || step.compareTo(longest) > 0) {
                longest = step;
            }
            previous = next;
        }
        return Optional.ofNullable(longest);
    }

    /** The first run strictly after {@code t}. */
    public Optional<Instant> nextAfter(Instant t) {
        return remembered(t, true);
    }

    /** The latest run at or before {@code t}. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        return remembered(t, false);
    }

    /**
     * Runs fall on whole minutes (five-field cron, zone offsets in whole minutes), so the answer for any instant is
     * the answer for its minute: for {@code t} in [m, m + 1 min) there is no run in (m, t]. Keyed by minute and
     * question (sign); computed as asked where an offset is not a whole number of minutes (local mean times).
     */
    private Optional<Instant> remembered(Instant t, boolean next) {
        Instant minute = t.truncatedTo(ChronoUnit.MINUTES);
        if (rules.getOffset(t).getTotalSeconds() % 60 != 0) {
            return next ? computeNextAfter(t) : computeLatestAtOrBefore(t);
        }
        long key = next ? minute.getEpochSecond() / 60 : -1 - minute.getEpochSecond() / 60;
        Optional<Instant> known = answers.get(key);
        if (known == null) {
            known = next ? computeNextAfter(minute) : computeLatestAtOrBefore(minute);
            answers.put(key, known);
        }
        return known;
    }

    private Optional<Instant> computeNextAfter(Instant t) {
        boolean near = transitionNear(t);
        LocalDateTime cursor = LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.SECONDS).minus(near ? REACH : Duration.ofSeconds(1));
        Instant best = null;
        LocalDateTime bestLocal = null;
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<LocalDateTime> next = times.nextExecution(cursor.atZone(WALL_CLOCK)).map(z -> z.toLocalDateTime());
            if (next.isEmpty() || (bestLocal != null && next.get().isAfter(bestLocal.plus(REACH)))) {
                break;
            }
            for (Instant candidate : instantsOf(next.get())) {
                if (candidate.isAfter(t) && (best == null || candidate.isBefore(best))) {
                    best = candidate;
                    bestLocal = next.get();
                }
            }
            if (best != null && !transitionNear(best)) {
                break;
            }
            cursor = next.get();
        }
        return Optional.ofNullable(best);
    }

    private Optional<Instant> computeLatestAtOrBefore(Instant t) {
        boolean near = transitionNear(t);
        LocalDateTime cursor = LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.SECONDS).plus(near ? REACH : Duration.ofSeconds(1));
        Instant best = null;
        LocalDateTime bestLocal = null;
        for (int step = 0; step < MAX_STEPS; step++) {
            Optional<LocalDateTime> previous = times.lastExecution(cursor.atZone(WALL_CLOCK)).map(z -> z.toLocalDateTime());
            if (previous.isEmpty() || (bestLocal != null && previous.get().isBefore(bestLocal.minus(REACH)))) {
                break;
            }
            for (Instant candidate : instantsOf(previous.get())) {
                if (!candidate.isAfter(t) && (best == null || candidate.isAfter(best))) {
                    best = candidate;
                    bestLocal = previous.get();
                }
            }
            if (best != null && !transitionNear(best)) {
                break;
            }
            cursor = previous.get();
        }
        return Optional.ofNullable(best);
    }

    /** The instants a matching wall-clock time stands for: none, one, or (fall-back, hour *) two. */
    List<Instant> instantsOf(LocalDateTime local) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1) {
            return List.of(local.toInstant(offsets.get(0)));
        }
        ZoneOffsetTransition transition = rules.getTransition(local);
        if (offsets.isEmpty()) {
            return everyHour ? List.of() : List.of(local.plus(transition.getDuration()).toInstant(transition.getOffsetAfter()));
        }
        Instant first = local.toInstant(transition.getOffsetBefore());
        return everyHour ? List.of(first, local.toInstant(transition.getOffsetAfter())) : List.of(first);
    }

    private boolean transitionNear(Instant t) {
        ZoneOffsetTransition next = rules.nextTransition(t.minus(REACH));
        return next != null && !next.getInstant().isAfter(t.plus(REACH));
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
