package io.backtrack.controller.storage;

import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.layout.BackupFolder;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The folders of a bucket that a Backup in the cluster (any namespace the operator sees) already stands for, which
 * a sync therefore never imports: the folder its status names, and for a Backup not completed yet the folder it
 * writes to ({@code <prefix>/<namespace>/<name>} of its storage), so a backup being written is not imported
 * either. A Discovered Backup counts only once its import wrote its status: one created a moment before the operator
 * stopped is found again and completed, not forgotten.
 */
final class KnownFolders {
    private KnownFolders() {
    }

    /**
     * @param storageOf the bucket a Backup's spec names (its inline storage, or its BackupStorage), if it can be read
     * @return the {@link BackupFolder#fingerprint() fingerprints} of those folders in {@code bucket} under {@code prefix}
     */
    static Set<String> fingerprints(String bucket, String prefix, Stream<Backup> backups,
                                    Function<Backup, Optional<S3Storage>> storageOf) {
        String under = prefix == null || prefix.replaceAll("^/+|/+$", "").isEmpty() ? ""
                : prefix.replaceAll("^/+|/+$", "") + "/";
        Set<String> known = new HashSet<>();
        backups.forEach(b -> {
            for (String key : keys(bucket, b, storageOf)) {
                if (key.startsWith(under)) {
                    known.add(new BackupFolder(key).fingerprint());
                }
            }
        });
        return known;
    }

    private static Set<String> keys(String bucket, Backup backup, Function<Backup, Optional<S3Storage>> storageOf) {
        Set<String> keys = new HashSet<>();
        ArchiveStatus archive = backup.getStatus() == null ? null : backup.getStatus().archive();
        boolean discovered = backup.getSpec() != null && backup.getSpec().discovered();
        if (discovered) {
            if (archive != null && backup.getStatus().phase() == BackupPhase.Completed && archive.key() != null
                    && bucket.equals(archive.bucket())) {
                keys.add(archive.key());
            }
            return keys;
        }
        Optional<S3Storage> s3 = backup.getSpec() == null ? Optional.empty() : storageOf.apply(backup);
        if (archive != null && archive.key() != null) {
            String archiveBucket = archive.bucket() != null ? archive.bucket() : s3.map(S3Storage::bucket).orElse(null);
            if (bucket.equals(archiveBucket)) {
                keys.add(archive.key());
            }
        }
        if (s3.isPresent() && bucket.equals(s3.get().bucket())) {
            keys.add(BackupFolder.of(s3.get().prefix(), backup.getMetadata().getNamespace(),
                    backup.getMetadata().getName()).key());
        }
        return keys;
    }
}
