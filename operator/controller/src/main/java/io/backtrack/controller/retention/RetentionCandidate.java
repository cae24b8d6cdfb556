package io.backtrack.controller.retention;

import java.time.Instant;

/**
 * One finished backup as retention sees it.
 *
 * @param runAt        when the run was due (orders runs; "the newest run")
 * @param finishedAt   completedAt of the Backup (or when it failed)
 * @param expiresAt    completedAt + ttl, or null
 * @param protectedBy  why it must stay (a running Restore), or null
 */
public record RetentionCandidate(String name, Outcome outcome, Instant runAt, Instant finishedAt, String key,
                                 long sizeBytes, Instant expiresAt, String ttl, String protectedBy) {

    public enum Outcome { COMPLETED, FAILED }

    boolean completed() {
        return outcome == Outcome.COMPLETED;
    }
}
