package io.backtrack.controller.retention;

import io.backtrack.api.backup.Backup;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.metrics.BacktrackMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Deletes a Backup resource that retention or its ttl let go. The objects in the bucket go with it through the
 * Backup's own finalizer when its deletionPolicy is Delete (the default for scheduled backups).
 */
@ApplicationScoped
public class BackupPruner {
    private static final Logger LOG = Logger.getLogger(BackupPruner.class);

    private final KubernetesClient client;
    private final EventRecorder events;
    private final BacktrackMetrics metrics;

    public BackupPruner(KubernetesClient client, EventRecorder events, BacktrackMetrics metrics) {
        this.metrics = metrics;
        this.client = client;
        this.events = events;
    }

    /**
     * Deletes the Backup and records an Event on {@code reportTo} (the schedule, or the Backup itself). The Backup is
     * read again first: one a Restore marked since the decision is left alone.
     *
     * @return whether this call deleted it; a Backup already gone or being deleted is not deleted twice
     */
    public Result prune(Backup backup, String reason, HasMetadata reportTo) {
        String ns = backup.getMetadata().getNamespace();
        String name = backup.getMetadata().getName();
        try {
            Backup fresh = client.resources(Backup.class).inNamespace(ns).withName(name).get();
            if (fresh == null || fresh.getMetadata().getDeletionTimestamp() != null) {
                return new Result(false, null);
            }
            Optional<String> protection = RestoreProtection.of(fresh);
            if (protection.isPresent()) {
                return new Result(false, "Backup " + name + " was not pruned: " + protection.get());
            }
            client.resource(fresh).delete();
            metrics.backupPruned(fresh);
        } catch (KubernetesClientException e) {
            LOG.warnf("prune failed namespace=%s backup=%s code=%d message=%s", ns, name, e.getCode(), e.getMessage());
            metrics.pruneError(backup, "DeleteFailed");
            return new Result(false, "could not delete Backup " + name + ": " + e.getMessage());
        }
        LOG.infof("backup pruned namespace=%s backup=%s reason=%s", ns, name, reason);
        events.normal(reportTo, "Pruned", "deleted Backup " + name + ": " + reason);
        return new Result(true, null);
    }

    /** @param error why it was not deleted, or null */
    public record Result(boolean deleted, String error) {
    }
}
