package io.backtrack.agent.catalog;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.ManifestCodec;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StoredObject;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.DeleteResult;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The backups in a bucket: folders that hold a {@code manifest.json} (a folder without one is an incomplete
 * backup and never listed), and deletion that removes the manifest first so a half-deleted folder is never
 * mistaken for a backup.
 */
public final class BackupCatalog {
    private final ObjectStore store;

    public BackupCatalog(ObjectStore store) {
        this.store = store;
    }

    /** A listed backup; {@code manifest} is empty when the manifest could not be parsed. */
    public record Entry(String key, Optional<Manifest> manifest) {
        Instant completedAt() {
            return manifest.map(Manifest::completedAt).orElse(Instant.EPOCH);
        }
    }

    /** Completed backups under the prefix, newest first. */
    public List<Entry> list(String prefix) {
        List<Entry> entries = new ArrayList<>();
        for (StoredObject object : store.list(prefix == null ? "" : prefix)) {
            String key = object.key();
            if (!key.endsWith("/" + Manifest.FILE_NAME)) {
                continue;
            }
            String folder = key.substring(0, key.length() - Manifest.FILE_NAME.length() - 1);
            Optional<Manifest> manifest = store.readSmall(key).flatMap(BackupCatalog::parse);
            entries.add(new Entry(folder, manifest));
        }
        entries.sort(Comparator.comparing(Entry::completedAt).reversed().thenComparing(Entry::key));
        return entries;
    }

    private static Optional<Manifest> parse(byte[] json) {
        try {
            return Optional.of(ManifestCodec.fromBytes(json));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes a backup folder: manifest first, then every other object; idempotent. */
    public DeleteResult delete(BackupFolder folder) {
        long freed = 0;
        int deleted = 0;
        Optional<Long> manifestSize = store.sizeOf(folder.manifestKey());
        if (manifestSize.isPresent()) {
            store.remove(folder.manifestKey());
            freed += manifestSize.get();
            deleted++;
        }
        for (StoredObject object : store.list(folder.prefix())) {
            if (object.key().equals(folder.manifestKey())) {
                continue;
            }
            store.remove(object.key());
            freed += object.sizeBytes();
            deleted++;
        }
        int aborted = store.abortIncompleteUploads(folder.prefix());
        StructuredLog.info("delete.completed", "key", folder.key(), "deletedObjects", deleted, "freedBytes", freed,
                "abortedUploads", aborted);
        return new DeleteResult(folder.key(), store.location().bucket(), deleted, freed);
    }
}
