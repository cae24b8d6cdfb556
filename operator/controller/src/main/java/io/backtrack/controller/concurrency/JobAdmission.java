package io.backtrack.controller.concurrency;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a Backup, Restore or cleanup may start its agent Job now. Three rules: at most {@code cap} slots are in
 * use operator-wide; at most one holder per database; waiting work starts in {@link Work#QUEUE_ORDER} — work that
 * could not start anyway (its database is busy, or work on it is queued earlier) does not hold up the work behind it.
 * Built once per view of the cluster, it answers each waiting Backup of a long queue without going through the queue
 * again.
 */
public final class JobAdmission {
    private final List<Work> holders;
    private final Set<String> busyDatabases = new HashSet<>();
    private final List<Work> order;
    private final Map<String, Integer> position = new HashMap<>();
    private final Map<String, Work> firstPerDatabase = new HashMap<>();
    /** eligibleBefore[i]: how many of order[0..i) could start now if there were slots (their database is free). */
    private final int[] eligibleBefore;

    /**
     * @param message for a Backup or Restore that waits: what it waits for
     * @param ahead   for one that waits for a slot: how many that could start are queued ahead of it
     */
    public record Decision(boolean admitted, String message, int ahead) {
        static final Decision ADMITTED = new Decision(true, null, 0);

        static Decision waiting(String message) {
            return new Decision(false, message, 0);
        }
    }

    JobAdmission(Collection<Work> holders, Collection<Work> waiting) {
        this.holders = List.copyOf(holders);
        holders.forEach(h -> {
            if (h.database() != null) {
                busyDatabases.add(h.database());
            }
        });
        List<Work> sorted = new ArrayList<>(waiting);
        sorted.sort(Work.QUEUE_ORDER);
        this.order = sorted;
        for (int i = 0; i < sorted.size(); i++) {
            Work w = sorted.get(i);
            position.put(w.id(), i);
            if (w.database() != null) {
                firstPerDatabase.putIfAbsent(w.database(), w);
            }
        }
        eligibleBefore = new int[sorted.size() + 1];
        for (int i = 0; i < sorted.size(); i++) {
            Work w = sorted.get(i);
            boolean eligible = w.database() == null
                    || (!busyDatabases.contains(w.database()) && firstPerDatabase.get(w.database()) == w);
            eligibleBefore[i + 1] = eligibleBefore[i] + (eligible ? 1 : 0);
        }
    }

    static Decision decide(Work candidate, Collection<Work> holders, Collection<Work> waiting, int cap) {
        return new JobAdmission(holders, waiting).decide(candidate, cap);
    }

    Decision decide(Work candidate, int cap) {
        if (holders.stream().anyMatch(h -> h.id().equals(candidate.id()))) {
            return Decision.ADMITTED;
        }
        Optional<Work> busy = candidate.database() == null || !busyDatabases.contains(candidate.database()) ? Optional.empty()
                : holders.stream().filter(candidate::sameDatabase).findFirst();
        if (busy.isPresent()) {
            return Decision.waiting("waiting for " + busy.get().description() + ", which is running on the same database;"
                    + " one agent Job per database at a time");
        }
        Work first = candidate.database() == null ? null : firstPerDatabase.get(candidate.database());
        if (first != null && !first.id().equals(candidate.id()) && Work.QUEUE_ORDER.compare(first, candidate) < 0) {
            return Decision.waiting("waiting for " + first.description() + ", queued earlier for the same database;"
                    + " one agent Job per database at a time");
        }
        int ahead = eligibleBefore[positionOf(candidate)];
        if (holders.size() + ahead >= cap) {
            // The same text as long as it waits for a slot: a queue of a thousand is not rewritten at every start.
            return new Decision(false, "waiting for an agent Job slot: all are in use or promised to work queued earlier"
                    + " (operator setting backtrack.agent.max-running-jobs=" + cap + ")", ahead);
        }
        return Decision.ADMITTED;
    }

    /** Where the candidate is, or would be, in the queue. */
    private int positionOf(Work candidate) {
        Integer known = position.get(candidate.id());
        if (known != null) {
            return known;
        }
        int at = Collections.binarySearch(order, candidate, Work.QUEUE_ORDER);
        return at >= 0 ? at : -at - 1;
    }
}
