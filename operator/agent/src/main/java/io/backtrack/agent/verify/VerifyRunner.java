package io.backtrack.agent.verify;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.restore.ArchiveSource;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.agent.stream.DigestingInputStream;
import io.backtrack.agent.stream.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Proves a stored backup is restorable without touching a database: streams the archive once (no temporary
 * file), recomputes SHA-256 and size against the manifest, and decompresses it fully, checking that it is a
 * pg_dump custom-format archive ({@code PGDMP} header).
 */
public final class VerifyRunner {
    private static final byte[] CUSTOM_FORMAT_MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

    private final S3Location storage;
    private final BackupFolder folder;

    public VerifyRunner(S3Location storage, BackupFolder folder) {
        this.storage = storage;
        this.folder = folder;
    }

    public Map<String, Object> run() {
        Instant started = Instant.now();
        try (ObjectStore store = new ObjectStore(storage)) {
            store.requireBucket();
            Manifest manifest = ArchiveSource.readManifest(store, folder);
            ArchiveSource.requireArchive(store, manifest);
            ArchiveScan scan = scan(store, manifest);
            String actual = scan.sha256();
            double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
            StructuredLog.info("verify.completed", "key", folder.key(), "sha256", actual, "sizeBytes", scan.sizeBytes(),
                    "seconds", seconds);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("key", folder.key());
            result.put("archiveKey", manifest.archiveKey());
            result.put("bucket", storage.bucket());
            result.put("sha256", actual);
            result.put("sizeBytes", scan.sizeBytes());
            result.put("uncompressedBytes", scan.uncompressedBytes());
            result.put("archiveVerified", true);
            result.put("database", manifest.database());
            result.put("completedAt", manifest.completedAt() == null ? null : manifest.completedAt().toString());
            result.put("durationSeconds", seconds);
            return result;
        }
    }

    /** What a full read of a stored archive found; it matched its manifest. */
    public record ArchiveScan(String sha256, long sizeBytes, long uncompressedBytes) {
    }

    /**
     * Streams the whole archive once: SHA-256 and size against the manifest (ArchiveCorrupt naming both hashes),
     * then that it decompresses into a custom-format dump (ArchiveCorrupt).
     */
    public static ArchiveScan scan(ObjectStore store, Manifest manifest) {
        Sha256 sha256 = new Sha256();
        DigestingInputStream stored = new DigestingInputStream(store.open(manifest.archiveKey()), sha256);
        long plainBytes;
        String decodeError = null;
        try (stored) {
            try {
                plainBytes = decodeFully(BackupFolder.compressionOf(manifest.archiveKey()).decompress(stored));
            } catch (IOException e) {
                decodeError = e.getMessage();
                plainBytes = -1;
            }
            stored.drain();
        } catch (IOException e) {
            throw new AgentFailure(Reason.StorageUnreachable, "downloading " + manifest.archiveKey() + " from "
                    + store.location().endpoint() + " failed: " + e.getMessage(), e);
        }
        String actual = sha256.hex();
        if (!actual.equals(manifest.sha256()) || sha256.bytes() != manifest.sizeBytes()) {
            throw ArchiveSource.hashMismatch(manifest, actual, sha256.bytes());
        }
        if (decodeError != null) {
            throw new AgentFailure(Reason.ArchiveCorrupt, "archive " + manifest.archiveKey()
                    + " matches its SHA-256 but is not a readable pg_dump archive: " + decodeError);
        }
        return new ArchiveScan(actual, sha256.bytes(), plainBytes);
    }

    /** Reads the decompressed stream to its end; throws if it is not a custom-format dump. */
    private static long decodeFully(InputStream plain) throws IOException {
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        int n;
        byte[] head = new byte[0];
        while ((n = plain.read(buf)) >= 0) {
            if (head.length < CUSTOM_FORMAT_MAGIC.length) {
                int take = Math.min(n, CUSTOM_FORMAT_MAGIC.length - head.length);
                byte[] grown = Arrays.copyOf(head, head.length + take);
                System.arraycopy(buf, 0, grown, head.length, take);
                head = grown;
            }
            total += n;
        }
        if (!Arrays.equals(head, CUSTOM_FORMAT_MAGIC)) {
            throw new IOException("no PGDMP header: not a pg_dump custom-format archive");
        }
        return total;
    }
}
