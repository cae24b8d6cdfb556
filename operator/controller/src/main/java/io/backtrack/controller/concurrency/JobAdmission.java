package io.backtrack.controller.concurrency;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a Backup, Restore or cleanup may start its agent Job now. Three rules: at most {@code cap} slots are in
 * use operator-wide; at most one holder per database; waiting work starts in {@link Work#QUEUE_ORDER} — work that
 * could not start anyway (its database is busy, or work on it is queued earlier) does not hold up the work behind it.
 */
public final class JobAdmission {
    private JobAdmission() {
    }

    /** @param message for a Backup or Restore that waits: what it waits for */
    public record Decision(boolean admitted, String message) {
        static final Decision ADMITTED = new Decision(true, null);

        static Decision waiting(String message) {
            return new Decision(false, message);
        }
    }

    static Decision decide(Work candidate, Collection<Work> holders, Collection<Work> waiting, int cap) {
        if (holders.stream().anyMatch(h -> h.id().equals(candidate.id()))) {
            return Decision.ADMITTED;
        }
        Optional<Work> busy = holders.stream().filter(candidate::sameDatabase).findFirst();
        if (busy.isPresent()) {
            return Decision.waiting("waiting for " + busy.get().description() + ", which is running on the same database;"
                    + " one agent Job per database at a time");
        }
        Map<String, Work> firstPerDatabase = new HashMap<>();
        for (Work w : waiting) {
            if (w.database() != null && !w.id().equals(candidate.id())) {
                firstPerDatabase.merge(w.database(), w, (a, b) -> Work.QUEUE_ORDER.compare(a, b) <= 0 ? a : b);
            }
        }
        Work first = candidate.database() == null ? null : firstPerDatabase.get(candidate.database());
        if (first != null && Work.QUEUE_ORDER.compare(first, candidate) < 0) {
            return Decision.waiting("waiting for " + first.description() + ", queued earlier for the same database;"
                    + " one agent Job per database at a time");
        }
        long ahead = waiting.stream()
                .filter(w -> !w.id().equals(candidate.id()) && Work.QUEUE_ORDER.compare(w, candidate) < 0)
                .filter(w -> holders.stream().noneMatch(w::sameDatabase))
                .filter(w -> w.database() == null || firstPerDatabase.get(w.database()) == w)
                .count();
        if (holders.size() + ahead >= cap) {
            // The same text as long as it waits for a slot: a queue of a thousand is not rewritten at every start.
            return Decision.waiting("waiting for an agent Job slot: all are in use or promised to work queued earlier"
                    + " (operator setting backtrack.agent.max-running-jobs=" + cap + ")");
        }
        return Decision.ADMITTED;
    }
}
