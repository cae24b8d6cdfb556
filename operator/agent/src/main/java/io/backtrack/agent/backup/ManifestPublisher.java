package io.backtrack.agent.backup;

import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.ManifestCodec;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StoredObject;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.Reason;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Makes a completed archive the folder's backup by writing {@code manifest.json}, unless another attempt already
 * has: the last step of a backup, and the one that decides between two backups written to one folder at once.
 *
 * <p>The manifest is written with a conditional put ({@code If-None-Match: *}), so of two writers exactly one
 * creates it, and then read back: the folder's manifest names the archive of the run that won. Where a store
 * ignores the condition (older S3-compatible servers), a check just before the put and the read-back after it
 * narrow the race to the moment between the two requests; that is as tight as such a store allows.
 *
 * <p>Whatever happens, no manifest is left naming a missing archive: this run's archive is removed only when the
 * folder's manifest is known to name another one (or none); when that cannot be known (the store stopped answering
 * after the put was sent) the archive is kept and the failure says so.
 */
final class ManifestPublisher {
    private final ObjectStore store;
    private final BackupFolder folder;

    ManifestPublisher(ObjectStore store, BackupFolder folder) {
        this.store = store;
        this.folder = folder;
    }

    /** Returns only when the folder's manifest names {@code manifest.archiveKey()}; otherwise throws. */
    void publish(Manifest manifest) {
        String archiveKey = manifest.archiveKey();
        Optional<String> before;
        try {
            before = namedArchive();
        } catch (AgentFailure e) {
            removeAttempt(store.forCleanup(), manifest); // no manifest of this run can exist yet
            throw e;
        }
        if (before.isPresent()) {
            throw lostTo(before.get(), manifest);
        }
        AgentFailure putFailure = null;
        try {
            store.putIfAbsent(folder.manifestKey(), ManifestCodec.toBytes(manifest), "application/json");
        } catch (AgentFailure e) {
            putFailure = e; // the put may still have landed (an answer lost on the way back): the read-back tells
        }
        Optional<String> named;
        try {
            named = namedArchive();
        } catch (AgentFailure readFailure) {
            if (putFailure == null) {
                // The conditional put succeeded, so the manifest is this run's; only the check after it failed.
                StructuredLog.warn("backup.manifest-unchecked", "manifestKey", folder.manifestKey(),
                        "error", readFailure.getMessage());
                return;
            }
            throw new AgentFailure(putFailure.reason(), putFailure.getMessage() + "; whether " + folder.manifestKey()
                    + " was written is unknown, so the archive " + archiveKey + " was kept: check the folder with "
                    + "`backtrack-agent verify --key " + folder.key() + "` and delete it if it is not a backup",
                    putFailure);
        }
        if (named.isPresent() && named.get().equals(archiveKey)) {
            tidy(manifest);
            return;
        }
        if (named.isPresent()) {
            throw lostTo(named.get(), manifest);
        }
        removeAttempt(store, manifest);
        throw putFailure != null ? putFailure : new AgentFailure(Reason.StorageUnreachable, "S3 endpoint "
                + store.location().endpoint() + " accepted " + folder.manifestKey() + " but does not return it; "
                + "the archive " + archiveKey + " was removed");
    }

    /** The archive the folder's manifest names, or empty when there is no manifest. */
    private Optional<String> namedArchive() {
        return store.readSmall(folder.manifestKey()).map(json -> {
            try {
                return ManifestCodec.fromBytes(json).archiveKey();
            } catch (IOException e) {
                return "(an unreadable manifest.json)";
            }
        });
    }

    /** Another run's manifest is the folder's: this run's archive goes, and the run fails saying why. */
    private AgentFailure lostTo(String theirArchive, Manifest ours) {
        String ourArchive = ours.archiveKey();
        removeAttempt(store, ours);
        StructuredLog.warn("backup.lost-to-another-run", "key", folder.key(), "theirArchive", theirArchive,
                "removed", ourArchive);
        return new AgentFailure(Reason.InvalidArguments, "folder " + folder.key() + " in bucket "
                + store.location().bucket() + " was completed by another backup to the same folder running at the "
                + "same time (its manifest names " + theirArchive + "); this run's archive was removed. Run one "
                + "backup per folder at a time, or choose another --key");
    }

    /** This run's objects: its archive and its roles file. */
    private static void removeAttempt(ObjectStore store, Manifest manifest) {
        store.removeQuietly(manifest.archiveKey());
        if (manifest.roles() != null) {
            store.removeQuietly(manifest.roles().key());
        }
    }

    /**
     * The folder is a backup now: whatever else is in it is left over from other attempts (a killed run's
     * archive, an upload of a run that lost). None of it can become a backup any more, so it goes (best effort).
     */
    private void tidy(Manifest manifest) {
        String archiveKey = manifest.archiveKey();
        String rolesKey = manifest.roles() == null ? null : manifest.roles().key();
        // The two listings are independent: the uploads are aborted while the objects are listed and removed.
        CompletableFuture<Integer> aborting = CompletableFuture.supplyAsync(
                () -> store.abortIncompleteUploads(folder.prefix()));
        int removed = 0;
        try {
            for (StoredObject object : store.list(folder.prefix())) {
                String key = object.key();
                if (folder.holdsArchive(key) && !key.equals(archiveKey) || folder.holdsRoles(key) && !key.equals(rolesKey)) {
                    store.removeQuietly(object.key());
                    removed++;
                }
            }
        } catch (AgentFailure e) {
            StructuredLog.warn("backup.tidy-failed", "key", folder.key(), "error", e.getMessage());
        }
        int aborted = aborting.join();
        if (removed > 0 || aborted > 0) {
            StructuredLog.info("backup.tidied", "key", folder.key(), "removedArchives", removed,
                    "abortedUploads", aborted);
        }
    }
}
