package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.controller.job.JobNames;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Backup of the target a Restore takes before touching it: same storage as the source, encrypted as that
 * location's backups are (the restored Backup's encryption, else its BackupStorage's: the live data is no less
 * secret than the backup), Retain, labelled as a safety backup. It is deliberately not owned by the Restore, so
 * deleting the Restore never deletes it.
 */
final class SafetyBackups {
    static final String ROLE = "safety-backup";

    private SafetyBackups() {
    }

    static String name(Restore restore) {
        return JobNames.forOwner(restore.getMetadata().getNamespace(), restore.getMetadata().getName() + "-pre-restore", ROLE);
    }

    static Backup of(Restore restore, RestorePlan plan) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        labels.put(BacktrackApi.MANAGED_BY_LABEL, BacktrackApi.MANAGED_BY);
        labels.put(BacktrackApi.ROLE_LABEL, ROLE);
        LabelValues.put(labels, annotations, BacktrackApi.RESTORE_LABEL, restore.getMetadata().getName());
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder()
                .withName(name(restore))
                .withNamespace(restore.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .build());
        backup.setSpec(new BackupSpec(
                "Safety backup of " + plan.target() + " before Restore " + restore.getMetadata().getName(),
                new DatabaseSpec(null, plan.host(), plan.port(), plan.database(), plan.credentials(), plan.tls()),
                new StorageSpec(plan.storage()), null,
                null, null, DeletionPolicy.Retain, null, plan.spec().job(), null, plan.encryption()));
        return backup;
    }
}
