package io.backtrack.controller.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupTemplateMetadata;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Backup a run creates from the schedule's backupTemplate.
 *
 * <p>Ownership model: the Backup carries only the template's labels and annotations plus ours
 * (backtrack.io/schedule, app.kubernetes.io/managed-by, backtrack.io/scheduled-at) and <b>no owner reference</b>:
 * it is linked to its schedule by the backtrack.io/schedule label (the schedule's name, shortened past 63
 * characters; the annotation of the same key holds it in full) and the schedule's status, so deleting or renaming the
 * schedule (a GitOps prune) never garbage-collects a Backup, and so never empties the bucket through the Backups'
 * deletionPolicy Delete. Only retention deletes a schedule's Backups. Nothing is copied from the schedule's own
 * metadata, so labels a GitOps tool uses to track what it manages (app.kubernetes.io/instance for Argo CD,
 * kustomize.toolkit.fluxcd.io/* for Flux) never appear on generated Backups and the tool never prunes them as its
 * own (Velero #2975).
 */
public final class ScheduledBackups {
    private ScheduledBackups() {
    }

    public static Backup forRun(BackupSchedule schedule, Instant scheduledAt) {
        var template = schedule.getSpec().backupTemplate();
        BackupTemplateMetadata meta = template.metadata() == null ? new BackupTemplateMetadata(null, null) : template.metadata();
        Map<String, String> labels = new LinkedHashMap<>();
        if (meta.labels() != null) {
            labels.putAll(meta.labels());
        }
        labels.put(BacktrackApi.MANAGED_BY_LABEL, BacktrackApi.MANAGED_BY);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (meta.annotations() != null) {
            annotations.putAll(meta.annotations());
        }
        LabelValues.put(labels, annotations, BacktrackApi.SCHEDULE_LABEL, schedule.getMetadata().getName());
        annotations.put(BacktrackApi.SCHEDULED_AT_ANNOTATION, scheduledAt.toString());

        BackupSpec t = template.spec();
        BackupSpec spec = new BackupSpec(t.description(), t.database(), t.storage(), t.storageRef(), t.compression(), t.scope(),
                t.deletionPolicy() == null ? DeletionPolicy.Delete : t.deletionPolicy(), t.ttl(), t.job(), t.roles(),
                t.encryption());

        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder()
                .withName(RunNames.of(schedule.getMetadata().getName(), scheduledAt))
                .withNamespace(schedule.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                // Saves the Backup controller the update (and the extra reconcile) of adding it, at every firing.
                .withFinalizers(BacktrackApi.BACKUP_FINALIZER)
                .build());
        backup.setSpec(spec);
        return backup;
    }
}
