package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.restore.Restore;
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
            var labels = new HashMap<>(b.getMetadata().getLabels() == null ? Map.<String, String>of() : b.getMetadata().getLabels());
            labels.put(BacktrackApi.IN_USE_BY_RESTORE_LABEL, restoreName);
            b.getMetadata().setLabels(labels);
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
            var labels = new HashMap<>(b.getMetadata().getLabels() == null ? Map.<String, String>of() : b.getMetadata().getLabels());
            List<String> finalizers = new ArrayList<>(b.getMetadata().getFinalizers());
            if (other.isPresent()) {
                labels.put(BacktrackApi.IN_USE_BY_RESTORE_LABEL, other.get());
            } else {
                labels.remove(BacktrackApi.IN_USE_BY_RESTORE_LABEL);
                finalizers.remove(BacktrackApi.RESTORE_PROTECTION_FINALIZER);
            }
            b.getMetadata().setLabels(labels);
            b.getMetadata().setFinalizers(finalizers);
            return b;
        });
    }
}
