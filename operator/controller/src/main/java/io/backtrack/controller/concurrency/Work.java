package io.backtrack.controller.concurrency;

import java.time.Instant;
import java.util.Comparator;

/**
 * Something that holds one of the operator's agent Job slots (a running backup or cleanup Job, a Restore in progress)
 * or waits for one (a Backup or Restore not started yet).
 *
 * @param id          "Backup/namespace/name", "Restore/namespace/name" or "Cleanup/namespace/name", the name as its
 *                    label value (see LabelValues), so a Job's labels and its resource name give the same id
 * @param database    the database it reads or writes as a label value of host:port/database, or null (cleanup)
 * @param restore     a Restore (goes ahead of every waiting Backup), or a Backup or cleanup
 * @param created     the resource's creationTimestamp: waiting work starts in this order
 * @param description for messages: "Backup shop/orders-nightly"
 */
record Work(String id, String database, boolean restore, Instant created, String description) {

    /** Restores first (a restore is what someone waits for at 3 a.m.), then by creation, then by id. */
    static final Comparator<Work> QUEUE_ORDER = Comparator.comparing((Work w) -> !w.restore())
            .thenComparing(Work::created)
            .thenComparing(Work::id);

    boolean sameDatabase(Work other) {
        return database != null && database.equals(other.database);
    }
}
