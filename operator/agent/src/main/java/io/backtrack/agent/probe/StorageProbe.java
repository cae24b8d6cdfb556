package io.backtrack.agent.probe;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StoredObject;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.ProbeResult;
import io.backtrack.contract.result.Reason;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Whether a storage location works for backups, checked the way a backup uses it: the bucket exists, the prefix can
 * be listed, and an object can be written there, read back unchanged and deleted. The probe object is named
 * {@value #PROBE_NAME}{@code <random>} directly under the prefix: never a backup folder, and removed even when the
 * check fails half-way.
 */
public final class StorageProbe {
    public static final String PROBE_NAME = ".backtrack-probe-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectStore store;
    private final String prefix;

    /** @param prefix where to look, slashes around it ignored; null or blank for the whole bucket */
    public StorageProbe(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
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
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        StructuredLog.info("probe.completed", "bucket", store.location().bucket(), "prefix", prefix, "backups",
                folders.size(), "bytes", bytes, "objects", objects.size(), "seconds", seconds);
        return new ProbeResult(store.location().bucket(), prefix, folders.size(), bytes, objects.size(), seconds);
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
