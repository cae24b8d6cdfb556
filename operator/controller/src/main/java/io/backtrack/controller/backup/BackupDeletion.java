package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.controller.concurrency.ConcurrencyGate;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.job.CreateOnce;
import io.backtrack.controller.job.JobFailure;
import io.backtrack.controller.job.JobOutcome;
import io.backtrack.controller.metrics.BacktrackMetrics;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Backup controller's finalizer: a Backup a Restore reads waits for it; then its archive meets its
 * {@link ArchiveFate} — deleted by a cleanup Job (deletionPolicy Delete), kept (Retain, or the namespace is being
 * deleted), or reported as left behind when the cleanup cannot run.
 */
final class BackupDeletion {
    private static final Logger LOG = Logger.getLogger(BackupDeletion.class);
    static final Duration PROTECTION_RECHECK = Duration.ofSeconds(3);
    static final Duration CLEANUP_RECHECK = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final EventRecorder events;
    private final BacktrackMetrics metrics;
    private final BackupJobs jobs;
    private final BackupPreconditions preconditions;
    private final NamespaceLifecycle namespaces;
    private final ConcurrencyGate gate;
    private final Set<String> announcedWaits = ConcurrentHashMap.newKeySet();

    BackupDeletion(KubernetesClient client, EventRecorder events, BacktrackMetrics metrics, BackupJobs jobs,
                   BackupPreconditions preconditions, ConcurrencyGate gate) {
        this.gate = gate;
        this.client = client;
        this.events = events;
        this.metrics = metrics;
        this.jobs = jobs;
        this.preconditions = preconditions;
        this.namespaces = new NamespaceLifecycle(client);
    }

    /** @param backupJob the Backup's own Job, if any; @param cleanupJob its cleanup Job, if created */
    DeleteControl cleanup(Backup backup, Optional<Job> backupJob, Optional<Job> cleanupJob) {
        if (backup.getMetadata().getFinalizers().contains(BacktrackApi.RESTORE_PROTECTION_FINALIZER)) {
            // A Restore is reading this backup: its archive stays until the Restore ends and lifts the protection.
            // Lifting it changes no generation, so look again rather than wait for an event; say so once.
            if (announcedWaits.add(backup.getMetadata().getUid())) {
                String restore = LabelValues.nameIn(backup, BacktrackApi.IN_USE_BY_RESTORE_LABEL);
                events.normal(backup, "DeletionWaiting", "Restore " + (restore == null ? "?" : restore)
                        + " is using this backup; it is deleted once the Restore ends");
            }
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(PROTECTION_RECHECK);
        }
        announcedWaits.remove(backup.getMetadata().getUid());
        Optional<JobOutcome> outcome = cleanupJob.map(j -> JobOutcome.of(j, client));
        ArchiveFate fate = ArchiveFate.of(backup, outcome.map(JobOutcome::state),
                () -> namespaces.isGoing(backup.getMetadata().getNamespace()));
        String folder = fate == ArchiveFate.NOTHING_TO_DELETE ? null
                : "s3://" + backup.getSpec().storage().s3().bucket() + "/" + BackupJobs.folder(backup).key();
        switch (fate) {
            case KEPT_NAMESPACE_DELETED -> {
                // Its namespace accepts no Event (and takes its Events with it): this one goes to the operator's.
                LOG.warnf("archive kept namespace=%s backup=%s folder=%s: the namespace is being deleted",
                        backup.getMetadata().getNamespace(), backup.getMetadata().getName(), folder);
                events.warningInOperatorNamespace(backup, "ArchiveKept", "namespace " + backup.getMetadata().getNamespace()
                        + " is being deleted: the archive of Backup " + backup.getMetadata().getName() + " at " + folder
                        + " is kept although its deletionPolicy Delete would remove it (namespace teardown never deletes"
                        + " archives); delete it with backtrack-agent delete if it is not needed");
                metrics.archiveKeptOnNamespaceDeletion(backup);
            }
            case DELETE -> {
                Optional<String> missing = preconditions.storageSecretMissing(backup);
                if (missing.isPresent()) {
                    notDeleted(backup, missing.get() + ": " + folder + " was left in place; delete it with backtrack-agent delete");
                    break;
                }
                // Stop a backup still writing to the folder before emptying it (this also frees its slot).
                backupJob.filter(j -> !JobOutcome.isFinished(j) && j.getMetadata().getDeletionTimestamp() == null)
                        .ifPresent(j -> client.resource(j).delete());
                if (!gate.admitCleanup(backup)) {
                    return DeleteControl.noFinalizerRemoval().rescheduleAfter(ConcurrencyGate.RECHECK); // every slot is in use
                }
                CreateOnce.create(client, jobs.cleanup(backup));
                events.normal(backup, "DeletingArchive", "deletionPolicy Delete: removing " + folder);
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_RECHECK);
            }
            case DELETING -> {
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_RECHECK);
            }
            case DELETED -> events.normal(backup, "ArchiveDeleted", "removed " + folder);
            case NOT_DELETED -> {
                // Never block the namespace forever on storage that may be gone: say what was left behind.
                JobFailure cause = JobFailure.of(outcome.orElseThrow(), cleanupJob.orElseThrow().getMetadata().getName(),
                        cleanupJob.get());
                notDeleted(backup, cause.message() + "; " + folder + " was left in place, delete it with backtrack-agent delete");
            }
            default -> {
            }
        }
        metrics.backupDeleted(backup);
        return DeleteControl.defaultDelete();
    }

    private void notDeleted(Backup backup, String message) {
        events.warning(backup, "ArchiveNotDeleted", message);
        metrics.pruneError(backup, "ArchiveNotDeleted");
    }
}
