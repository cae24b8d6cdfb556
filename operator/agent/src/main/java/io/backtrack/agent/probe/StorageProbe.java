package io.backtrack.agent.probe;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StoredObject;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.ProbeResult;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.ResultLine;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a storage location works for backups, checked the way a backup uses it: the bucket exists, the prefix can
 * be listed, and an object can be written there, read back unchanged and deleted. The probe object is named
 * {@value #PROBE_NAME}{@code <random>} directly under the prefix: never a backup folder, and removed even when the
 * check fails half-way. With a set of known folders it also discovers the backups that have no Backup yet
 * ({@link BackupDiscovery}).
 */
public final class StorageProbe {
    public static final String PROBE_NAME = ".backtrack-probe-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectStore store;
    private final String prefix;
    private final Optional<Set<String>> known;

    /** @param prefix where to look, slashes around it ignored; null or blank for the whole bucket */
    public StorageProbe(ObjectStore store, String prefix) {
        this(store, prefix, Optional.empty());
    }

    /**
     * @param known with discovery: the fingerprints of the folders that already have a Backup; empty for a probe
     *              that only checks and counts
     */
    public StorageProbe(ObjectStore store, String prefix, Optional<Set<String>> known) {
        this.store = store;
        this.prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        this.known = known;
    }

    public ProbeResult run() {
        Instant started = Instant.now();
        store.requireBucket();
        List<StoredObject> objects = store.list(prefix.isEmpty() ? "" : prefix + "/");
        writeReadDelete();
        Set<String> folders = new HashSet<>();
        String manifestSuffix = "/" + BackupFolder.MANIFEST;
        for (StoredObject object : objects) {
            if (object.key().endsWith(manifestSuffix)) {
                folders.add(parent(object.key()));
            }
        }
        long bytes = objects.stream().filter(o -> folders.contains(parent(o.key()))).mapToLong(StoredObject::sizeBytes)
                .sum();
        String bucket = store.location().bucket();
        if (known.isEmpty()) {
            double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
            StructuredLog.info("probe.completed", "bucket", bucket, "prefix", prefix, "backups", folders.size(),
                    "bytes", bytes, "objects", objects.size(), "seconds", seconds);
            return new ProbeResult(bucket, prefix, folders.size(), bytes, objects.size(), seconds);
        }
        // The fit is judged with the widest numbers the fields can take, so the final line fits too.
        BackupDiscovery.Findings findings = new BackupDiscovery(store, known.get()).examine(objects,
                f -> ResultLine.success(new ProbeResult(bucket, prefix, folders.size(), bytes, objects.size(),
                        f.skippedCount(), f.skipped(), f.found(), Integer.MAX_VALUE, 99999.999)).fits());
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        StructuredLog.info("probe.completed", "bucket", bucket, "prefix", prefix, "backups", folders.size(),
                "bytes", bytes, "objects", objects.size(), "known", known.get().size(), "found",
                findings.found().size(), "skipped", findings.skippedCount(), "remaining", findings.remaining(),
                "seconds", seconds);
        return new ProbeResult(bucket, prefix, folders.size(), bytes, objects.size(), findings.skippedCount(),
                findings.skipped(), findings.found(), findings.remaining(), seconds);
    }

    private void writeReadDelete() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String key = (prefix.isEmpty() ? "" : prefix + "/") + PROBE_NAME + HexFormat.of().formatHex(random);
        byte[] content = ("backtrack storage probe " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        if (!store.putIfAbsent(key, content, "text/plain")) {
            throw new AgentFailure(Reason.StorageUnreachable, "the probe object " + key + " in bucket "
                    + store.location().bucket() + " existed before it was written (a random name): the store does not"
                    + " answer as S3 does");
        }
        try {
            byte[] read = store.readSmall(key).orElseThrow(() -> new AgentFailure(Reason.StorageUnreachable,
                    "the probe object " + key + " was written to bucket " + store.location().bucket()
                            + " but cannot be read back: backups written there could not be restored"));
            if (!Arrays.equals(read, content)) {
                throw new AgentFailure(Reason.StorageUnreachable, "the probe object " + key + " read back from bucket "
                        + store.location().bucket() + " differs from what was written (" + read.length + " bytes instead of "
                        + content.length + "): a proxy or the store changes objects; backups there would not verify");
            }
        } finally {
            store.removeQuietly(key);
        }
        if (store.sizeOf(key).isPresent()) {
            throw new AgentFailure(Reason.StorageAuthFailed, "the probe object " + key + " in bucket "
                    + store.location().bucket() + " could not be deleted: the credentials may write but not delete,"
                    + " so deletionPolicy Delete and retention cannot remove archives; grant s3:DeleteObject");
        }
    }

    private static String parent(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }
}
