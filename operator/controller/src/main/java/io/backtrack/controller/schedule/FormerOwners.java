package io.backtrack.controller.schedule;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.schedule.BackupSchedule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Backups that operator versions before issue 16 created carry an owner reference to their schedule, so the garbage
 * collector would delete them (and their archives, through deletionPolicy Delete) with the schedule. The schedule's
 * reconcile takes that reference off; from then on the label alone links them (see {@link ScheduledBackups}).
 */
final class FormerOwners {
    private static final Logger LOG = Logger.getLogger(FormerOwners.class);
    private static final String SCHEDULE_KIND = HasMetadata.getKind(BackupSchedule.class);

    private final KubernetesClient client;

    FormerOwners(KubernetesClient client) {
        this.client = client;
    }

    private static boolean ownedByASchedule(Backup backup) {
        List<OwnerReference> owners = backup.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(FormerOwners::isSchedule);
    }

    /** Removes the schedule owner references of these Backups; one that fails is tried again at the next reconcile. */
    void release(List<Backup> backups) {
        for (Backup backup : backups) {
            if (!ownedByASchedule(backup)) {
                continue;
            }
            try {
                client.resources(Backup.class).inNamespace(backup.getMetadata().getNamespace())
                        .withName(backup.getMetadata().getName()).edit(b -> {
                            b.getMetadata().setOwnerReferences(b.getMetadata().getOwnerReferences().stream()
                                    .filter(o -> !isSchedule(o)).toList());
                            return b;
                        });
                LOG.infof("released from its schedule's ownership namespace=%s backup=%s", backup.getMetadata().getNamespace(),
                        backup.getMetadata().getName());
            } catch (KubernetesClientException e) {
                LOG.warnf("could not release namespace=%s backup=%s from its schedule's ownership: %s",
                        backup.getMetadata().getNamespace(), backup.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private static boolean isSchedule(OwnerReference o) {
        return SCHEDULE_KIND.equals(o.getKind()) && o.getApiVersion() != null && o.getApiVersion().startsWith("backtrack.io/");
    }
}
