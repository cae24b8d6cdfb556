package io.backtrack.controller.cache;

import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * What a BackupStorage's sync keeps of every Backup: where its archive is or will be (its spec's storage, origin,
 * and its status' phase and archive), not its tables, databases and conditions. The Backup controller caches the
 * whole Backups already; this second cache of all of them stays a small fraction of that.
 */
public final class BackupLocationCache {
    private static final String[] KEPT = {"metadata.uid", "spec", "status.phase", "status.archive"};

    private BackupLocationCache() {
    }

    public static ItemStore<Backup> reduced() {
        return new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Backup.class,
                new KubernetesSerialization(), KEPT);
    }
}
