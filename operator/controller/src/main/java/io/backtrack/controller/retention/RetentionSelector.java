package io.backtrack.controller.retention;

import io.backtrack.controller.retention.RetentionCandidate.Outcome;
import io.backtrack.controller.retention.RetentionPlan.Prune;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses which backups of a schedule to prune; a pure function of the backups, the rules, the zone and the time.
 *
 * <p>Guarantees: the newest completed backup is never pruned; failed backups never count as kept (they only
 * follow failedBackupsHistoryLimit); no completed backup is pruned while the newest finished run has failed;
 * a backup in use by a Restore is never pruned. Backup ttl expiry is decided here too, under the same guarantees.
 */
public final class RetentionSelector {
    private static final Comparator<RetentionCandidate> NEWEST_FINISHED_FIRST =
            Comparator.comparing(RetentionCandidate::finishedAt).thenComparing(RetentionCandidate::name).reversed();
    private static final Comparator<RetentionCandidate> NEWEST_RUN_FIRST =
            Comparator.comparing(RetentionCandidate::runAt).thenComparing(RetentionCandidate::name).reversed();

    private RetentionSelector() {
    }

    public static RetentionPlan select(RetentionRules rules, ZoneId zone, List<RetentionCandidate> candidates, Instant now) {
        List<RetentionCandidate> completed = candidates.stream().filter(RetentionCandidate::completed)
                .sorted(NEWEST_FINISHED_FIRST).toList();
        List<RetentionCandidate> failed = candidates.stream().filter(c -> c.outcome() == Outcome.FAILED)
                .sorted(NEWEST_RUN_FIRST).toList();
        Optional<RetentionCandidate> newestRun = candidates.stream().min(NEWEST_RUN_FIRST);
        boolean newestRunFailed = newestRun.isPresent() && newestRun.get().outcome() == Outcome.FAILED;

        Map<String, List<String>> kept = keptByRules(rules, zone, completed, now);
        List<Prune> prune = new ArrayList<>();
        String message;
        if (newestRunFailed) {
            message = "holding back: the newest run " + newestRun.get().name()
                    + " failed, so no completed backup is pruned until a run completes";
        } else {
            for (RetentionCandidate c : completed) {
                if (kept.containsKey(c.name())) {
                    if (expired(c, now) && !guaranteed(kept.get(c.name()))) {
                        kept.remove(c.name());
                        prune.add(new Prune(c, "ttl " + c.ttl() + " expired at " + c.expiresAt()));
                    }
                } else {
                    prune.add(new Prune(c, expired(c, now) ? "ttl " + c.ttl() + " expired at " + c.expiresAt() : rules.notKeptReason()));
                }
            }
            message = "kept " + kept.size() + " completed backup" + (kept.size() == 1 ? "" : "s")
                    + (rules.anyRule() ? "" : " (no retention rules: everything is kept)");
        }
        // The failed run that holds pruning back stays, or trimming it would release the hold.
        int failedLimit = newestRunFailed ? Math.max(1, rules.failedHistoryLimit()) : rules.failedHistoryLimit();
        int failedKept = 0;
        for (RetentionCandidate f : failed) {
            if (f.protectedBy() != null) {
                continue;
            }
            if (failedKept < failedLimit) {
                failedKept++;
            } else {
                prune.add(new Prune(f, "beyond failedBackupsHistoryLimit " + rules.failedHistoryLimit()));
            }
        }
        return new RetentionPlan(kept, prune, message);
    }

    private static Map<String, List<String>> keptByRules(RetentionRules rules, ZoneId zone, List<RetentionCandidate> completed,
                                                         Instant now) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        if (!rules.anyRule()) {
            completed.forEach(c -> keep(kept, c, "no retention rules"));
        }
        for (int i = 0; i < Math.min(rules.keepLast(), completed.size()); i++) {
            keep(kept, completed.get(i), "keepLast " + rules.keepLast());
        }
        for (TimeBuckets bucket : TimeBuckets.values()) {
            int wanted = bucket.count(rules);
            String last = null;
            int taken = 0;
            for (RetentionCandidate c : completed) {
                if (taken == wanted) {
                    break;
                }
                String key = bucket.of(c.finishedAt(), zone);
                if (!Objects.equals(key, last)) {
                    keep(kept, c, bucket.rule + " " + wanted);
                    last = key;
                    taken++;
                }
            }
        }
        if (rules.maxAge() != null) {
            Instant cutoff = now.minus(rules.maxAge());
            completed.stream().filter(c -> c.finishedAt().isAfter(cutoff))
                    .forEach(c -> keep(kept, c, "maxAge " + rules.maxAgeText()));
        }
        if (!completed.isEmpty()) {
            keep(kept, completed.get(0), GUARANTEE_NEWEST);
        }
        completed.stream().filter(c -> c.protectedBy() != null).forEach(c -> keep(kept, c, c.protectedBy()));
        // Keep the map in newest-first order for a readable status.
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        completed.stream().filter(c -> kept.containsKey(c.name())).forEach(c -> ordered.put(c.name(), kept.get(c.name())));
        return ordered;
    }

    static final String GUARANTEE_NEWEST = "newest completed backup";

    private static boolean guaranteed(List<String> reasons) {
        return reasons.stream().anyMatch(r -> r.equals(GUARANTEE_NEWEST) || r.startsWith("in use by"));
    }

    private static boolean expired(RetentionCandidate c, Instant now) {
        return c.expiresAt() != null && !now.isBefore(c.expiresAt());
    }

    private static void keep(Map<String, List<String>> kept, RetentionCandidate c, String reason) {
        kept.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(reason);
    }
}
