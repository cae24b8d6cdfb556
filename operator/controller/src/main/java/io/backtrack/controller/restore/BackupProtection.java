package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.restore.Restore;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the Backup a Restore reads from being pruned or deleted while the Restore runs: a label retention
 * honours and a finalizer the API server honours.
 */
final class BackupProtection {
    private final KubernetesClient client;

    BackupProtection(KubernetesClient client) {
        this.client = client;
    }

    void protect(String namespace, String backupName, String restoreName) {
        client.resources(Backup.class).inNamespace(namespace).withName(backupName).edit(b -> {
            markInUse(b, restoreName);
            List<String> finalizers = new ArrayList<>(b.getMetadata().getFinalizers());
            if (!finalizers.contains(BacktrackApi.RESTORE_PROTECTION_FINALIZER)) {
                finalizers.add(BacktrackApi.RESTORE_PROTECTION_FINALIZER);
            }
            b.getMetadata().setFinalizers(finalizers);
            return b;
        });
    }

    /** Hands the protection to another running Restore of the same Backup, or lifts it. */
    void release(String namespace, String backupName, String restoreName) {
        Backup backup = client.resources(Backup.class).inNamespace(namespace).withName(backupName).get();
        if (backup == null) {
            return;
        }
        Optional<String> other = client.resources(Restore.class).inNamespace(namespace).list().getItems().stream()
                .filter(r -> !r.getMetadata().getName().equals(restoreName))
                .filter(r -> backupName.equals(r.getSpec().backupName()))
                .filter(r -> r.getStatus() == null || r.getStatus().phase() == null || !r.getStatus().phase().isTerminal())
                .map(r -> r.getMetadata().getName())
                .findFirst();
        client.resources(Backup.class).inNamespace(namespace).withName(backupName).edit(b -> {
            markInUse(b, other.orElse(null));
            List<String> finalizers = new ArrayList<>(b.getMetadata().getFinalizers());
            if (other.isEmpty()) {
                finalizers.remove(BacktrackApi.RESTORE_PROTECTION_FINALIZER);
            }
            b.getMetadata().setFinalizers(finalizers);
            return b;
        });
    }

    /** The in-use label (the Restore's name, shortened past 63 characters) and its annotation (in full); null: neither. */
    private static void markInUse(Backup b, String restoreName) {
        var labels = new HashMap<>(b.getMetadata().getLabels() == null ? Map.<String, String>of() : b.getMetadata().getLabels());
        var annotations = new HashMap<>(b.getMetadata().getAnnotations() == null ? Map.<String, String>of() : b.getMetadata().getAnnotations());
        if (restoreName == null) {
            labels.remove(BacktrackApi.IN_USE_BY_RESTORE_LABEL);
            annotations.remove(BacktrackApi.IN_USE_BY_RESTORE_LABEL);
        } else {
            LabelValues.put(labels, annotations, BacktrackApi.IN_USE_BY_RESTORE_LABEL, restoreName);
        }
        b.getMetadata().setLabels(labels);
        b.getMetadata().setAnnotations(annotations);
    }
}
