package io.backtrack.controller.storage;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupOrigin;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.ProbeResult.FoundBackup;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.naming.Digests;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates the Backups a sync found, one per backup folder, in the BackupStorage's namespace: origin Discovered,
 * deletionPolicy Retain, storageRef to the BackupStorage, no database; then writes each one's status from its
 * manifest. Never changes a Backup it did not create for that same folder: a name taken by a Backup that stands for
 * another folder (or for none) makes it take a name of its own ({@code <name>-<hash of the folder>}), and a name taken
 * by the Backup of that very folder means it is there already. A Backup it created whose status was not written yet
 * (the operator stopped in between) gets it the next time the folder is found.
 */
final class DiscoveredBackups {
    private static final Logger LOG = Logger.getLogger(DiscoveredBackups.class);
    static final int MAX_NAME = 253;
    static final int HASH_LENGTH = 8;
    static final int STATUS_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final EventRecorder events;

    DiscoveredBackups(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    /** What became of the found backups: the Backups created, those already there, those with no name left. */
    record Outcome(List<String> created, List<String> present, List<String> refused) {
    }

    Outcome importAll(BackupStorage storage, String bucket, List<FoundBackup> found, Instant now) {
        List<String> created = new ArrayList<>();
        List<String> present = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (FoundBackup backup : found) {
            String from = from(bucket, backup.key());
            boolean placed = false;
            for (String name : List.of(name(backup), hashedName(backup, bucket))) {
                Backup existing = get(storage, name);
                if (existing == null) {
                    existing = create(storage, name, backup, bucket);
                    if (existing != null) {
                        writeStatus(storage, existing, backup, bucket, now);
                        created.add(name);
                        events.normal(existing, "Discovered", existing.getStatus() == null ? from
                                : existing.getStatus().message());
                        placed = true;
                        break;
                    }
                    existing = get(storage, name); // created by someone else meanwhile
                }
                if (existing != null && standsFor(existing, bucket, backup.key())) {
                    if (existing.getSpec() != null && existing.getSpec().discovered() && !completed(existing)) {
                        writeStatus(storage, existing, backup, bucket, now);
                    }
                    present.add(name);
                    placed = true;
                    break;
                }
            }
            if (!placed) {
                refused.add(backup.key());
                events.warning(storage, "ImportRefused", "the backup in " + from + " was not imported: Backups "
                        + name(backup) + " and " + hashedName(backup, bucket) + " exist in namespace "
                        + storage.getMetadata().getNamespace() + " and stand for other folders; rename one, or restore "
                        + "from the folder with a Restore's source.key " + backup.key());
            }
        }
        if (!created.isEmpty()) {
            LOG.infof("backups imported namespace=%s backupStorage=%s count=%d", storage.getMetadata().getNamespace(),
                    storage.getMetadata().getName(), created.size());
        }
        return new Outcome(created, present, refused);
    }

    /** The original Backup's name when it is a valid one, else the folder's, made valid. */
    static String name(FoundBackup backup) {
        String original = backup.backup() != null ? backup.backup() : new BackupFolder(backup.key()).name();
        String name = original.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-")
                .replaceAll("^[^a-z0-9]+", "");
        name = name.substring(0, Math.min(name.length(), MAX_NAME)).replaceAll("[^a-z0-9]+$", "");
        return name.isEmpty() ? "discovered" : name;
    }

    /** A name of its own: the name cut to fit, then a hash of the folder (stable: the same folder, the same name). */
    static String hashedName(FoundBackup backup, String bucket) {
        String base = name(backup);
        base = base.substring(0, Math.min(base.length(), MAX_NAME - HASH_LENGTH - 1)).replaceAll("[^a-z0-9]+$", "");
        return base + "-" + Digests.sha256Hex(from(bucket, backup.key()), HASH_LENGTH);
    }

    /** Whether the Backup is the one of this folder: its status names it, or a sync created it for it. */
    static boolean standsFor(Backup backup, String bucket, String key) {
        ArchiveStatus archive = backup.getStatus() == null ? null : backup.getStatus().archive();
        // An older status without the bucket: the same key is taken as the same folder (never two Backups for one).
        if (archive != null && key.equals(archive.key()) && (archive.bucket() == null || bucket.equals(archive.bucket()))) {
            return true;
        }
        Map<String, String> annotations = backup.getMetadata().getAnnotations();
        return backup.getSpec() != null && backup.getSpec().discovered() && annotations != null
                && from(bucket, key).equals(annotations.get(BacktrackApi.DISCOVERED_FROM_ANNOTATION));
    }

    static String from(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static boolean completed(Backup backup) {
        return backup.getStatus() != null && backup.getStatus().phase() == BackupPhase.Completed;
    }

    private Backup get(BackupStorage storage, String name) {
        return client.resources(Backup.class).inNamespace(storage.getMetadata().getNamespace()).withName(name).get();
    }

    /** Creates it; null when the name was taken meanwhile (never replaces what is there). */
    private Backup create(BackupStorage storage, String name, FoundBackup found, String bucket) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        labels.put(BacktrackApi.MANAGED_BY_LABEL, BacktrackApi.MANAGED_BY);
        LabelValues.put(labels, annotations, BacktrackApi.STORAGE_LABEL, storage.getMetadata().getName());
        if (found.namespace() != null) {
            LabelValues.put(labels, annotations, BacktrackApi.ORIGINAL_NAMESPACE_LABEL, found.namespace());
        }
        if (found.backup() != null) {
            LabelValues.put(labels, annotations, BacktrackApi.ORIGINAL_BACKUP_LABEL, found.backup());
        }
        if (found.schedule() != null) {
            LabelValues.put(labels, annotations, BacktrackApi.ORIGINAL_SCHEDULE_LABEL, found.schedule());
        }
        annotations.put(BacktrackApi.DISCOVERED_FROM_ANNOTATION, from(bucket, found.key()));
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(storage.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(annotations).build());
        String description = found.description() != null && !found.description().isBlank() ? found.description()
                : "found in " + from(bucket, found.key());
        backup.setSpec(new BackupSpec(description, null, null, new StorageRef(storage.getMetadata().getName()), null,
                null, DeletionPolicy.Retain, null, null, null, null, BackupOrigin.Discovered));
        try {
            return client.resource(backup).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The status from the manifest, on a Backup that has no finished one: a status is never overwritten. The write is
     * made against the version read (the Backup controller adds its finalizer to a new Backup at the same moment):
     * on a conflict it reads again and decides again.
     */
    private void writeStatus(BackupStorage storage, Backup backup, FoundBackup found, String bucket, Instant now) {
        for (int attempt = 1; ; attempt++) {
            try {
                Backup written = client.resources(Backup.class).inNamespace(backup.getMetadata().getNamespace())
                        .withName(backup.getMetadata().getName()).editStatus(b -> {
                            if (b.getStatus() == null || b.getStatus().phase() == null
                                    || !b.getStatus().phase().isTerminal()) {
                                b.setStatus(DiscoveredStatus.of(b, found, bucket, storage.getMetadata().getName(), now));
                            }
                            return b;
                        });
                backup.setStatus(written.getStatus());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == STATUS_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
