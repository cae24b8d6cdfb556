package io.backtrack.agent.verify;

import io.backtrack.agent.archive.ArchiveScan;
import io.backtrack.agent.archive.ArchiveSource;
import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.VerifyResult;
import io.backtrack.contract.wire.ArchiveCompression;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code backtrack-agent verify}: proves a stored backup is restorable without touching a database. Streams the
 * archive once (no temporary file), recomputes SHA-256 and size against the manifest, and decompresses it fully
 * ({@link ArchiveScan}). "Verify" of an archive always means this; a restore's row counts are its compare step. An
 * encrypted archive is decrypted too only when asked ({@code deep}, with its identity); without, its SHA-256 and
 * size, which are of the stored ciphertext, prove it is what the backup wrote, and need no key.
 */
public final class VerifyRunner {
    private final S3Location storage;
    private final BackupFolder folder;
    private final AgeIdentity identity;
    private final boolean deep;

    public VerifyRunner(S3Location storage, BackupFolder folder, AgeIdentity identity, boolean deep) {
        this.storage = storage;
        this.folder = folder;
        this.identity = identity;
        this.deep = deep;
    }

    public VerifyResult run() {
        Instant started = Instant.now();
        try (ObjectStore store = new ObjectStore(storage)) {
            store.requireBucket();
            Manifest manifest = ArchiveSource.readManifest(store, folder);
            ArchiveSource.requireArchive(store, manifest);
            boolean decode = !manifest.encrypted() || deep;
            ArchiveScan scan = decode ? ArchiveScan.of(store, manifest, identity)
                    : ArchiveScan.storedBytes(store, manifest);
            double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
            StructuredLog.info("verify.completed", "key", folder.key(), "sha256", scan.sha256(), "sizeBytes",
                    scan.sizeBytes(), "encrypted", manifest.encrypted(), "decoded", decode, "seconds", seconds);
            return new VerifyResult(folder.key(), manifest.archiveKey(), storage.bucket(), scan.sha256(),
                    scan.sizeBytes(), scan.uncompressedBytes(), true, manifest.database(),
                    manifest.completedAt() == null ? null : manifest.completedAt().toString(), seconds,
                    manifest.encrypted() ? ArchiveCompression.ENCRYPTION_AGE : null,
                    manifest.encrypted() ? decode : null);
        }
    }
}
