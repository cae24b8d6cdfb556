package io.backtrack.controller.restore;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.LastVerified;
import io.backtrack.api.drill.DrillOutcome;
import io.backtrack.contract.result.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.Set;

/**
 * Writes a Backup's status.lastVerified when a Restore of it ends with proof either way: restored with its row counts
 * matching the manifest (a drill: and its checks passing), or found corrupt or different from its manifest. A
 * Restore that failed for another reason (no connection, a missing Secret) proves nothing about the backup.
 */
final class VerifiedBackups {
    private static final Logger LOG = Logger.getLogger(VerifiedBackups.class);
    /** Failures that are the backup's own: its archive or its data is not what the manifest says. */
    private static final Set<String> BACKUP_FAULTS = Set.of(Reason.ArchiveCorrupt.name(),
            Reason.VerificationFailed.name());

    private final KubernetesClient client;

    VerifiedBackups(KubernetesClient client) {
        this.client = client;
    }

    /** Whether a Restore that failed for this reason found the backup itself at fault. */
    static boolean backupAtFault(String reason) {
        return BACKUP_FAULTS.contains(reason);
    }

    /**
     * @param reason null on success
     */
    void record(String namespace, String backupName, String restoreName, String at, Double recoverySeconds,
                String reason) {
        if (backupName == null || (reason != null && !backupAtFault(reason))) {
            return;
        }
        LastVerified verified = new LastVerified(at, reason == null ? DrillOutcome.Succeeded : DrillOutcome.Failed,
                recoverySeconds, restoreName, reason);
        try {
            client.resources(Backup.class).inNamespace(namespace).withName(backupName).editStatus(b -> {
                BackupStatus s = b.getStatus();
                if (s != null) {
                    b.setStatus(new BackupStatus(s.phase(), s.message(), s.startedAt(), s.completedAt(),
                            s.durationSeconds(), s.jobName(), s.archive(), s.database(), s.expiresAt(), s.conditions(),
                            s.observedGeneration(), verified));
                }
                return b;
            });
        } catch (KubernetesClientException e) {
            // The Restore's own status holds the result; a Backup deleted meanwhile has nothing to record it on.
            LOG.warnf("lastVerified not recorded namespace=%s backup=%s restore=%s code=%d", namespace, backupName,
                    restoreName, e.getCode());
        }
    }
}
