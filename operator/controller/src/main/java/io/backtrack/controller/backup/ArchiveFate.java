package io.backtrack.controller.backup;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.controller.job.JobOutcome;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What deleting a Backup does to its archive. Only an explicit delete (or retention) of a Backup with deletionPolicy
 * Delete deletes the archive; namespace teardown never does: in a namespace being deleted the archive is kept and
 * reported, whatever the policy.
 */
enum ArchiveFate {
    /**
     * Retain, or the Backup never wrote anything (a Discovered one found another's archive): the resource goes,
     * nothing else happens.
     */
    NOTHING_TO_DELETE,
    /** deletionPolicy Delete, but the Backup's namespace is being deleted: the archive is kept and reported. */
    KEPT_NAMESPACE_DELETED,
    /** Start the cleanup Job. */
    DELETE,
    /** The cleanup Job runs. */
    DELETING,
    DELETED,
    /** The cleanup Job failed: the archive stays and a Warning names it. */
    NOT_DELETED;

    /** @param namespaceGoing asked only when the archive would otherwise be deleted */
    static ArchiveFate of(Backup backup, Optional<JobOutcome.State> cleanup, BooleanSupplier namespaceGoing) {
        if (backup.getSpec() == null || backup.getSpec().deletionPolicyOrDefault() != DeletionPolicy.Delete
                || backup.getSpec().discovered() || backup.getStatus() == null || backup.getStatus().jobName() == null) {
            return NOTHING_TO_DELETE;
        }
        if (cleanup.isPresent()) {
            return switch (cleanup.get()) {
                case RUNNING -> DELETING;
                case SUCCEEDED -> DELETED;
                case FAILED -> NOT_DELETED;
            };
        }
        return namespaceGoing.getAsBoolean() ? KEPT_NAMESPACE_DELETED : DELETE;
    }
}
