package io.backtrack.controller.cache;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackupLocationCacheTest {

    @Test
    void keepsWhereTheArchiveIsAndDropsTheRestOfTheStatus() {
        Backup backup = new KubernetesSerialization().unmarshal("""
                apiVersion: backtrack.io/v1alpha1
                kind: Backup
                metadata: {name: nightly, namespace: shop, resourceVersion: "7", uid: u-1}
                spec:
                  storageRef: {name: prod-backups}
                status:
                  phase: Completed
                  message: done
                  archive: {bucket: db-backups, key: prod/shop/nightly, sha256: abc}
                  jobName: nightly-7f3a
                """, Backup.class);
        ItemStore<Backup> store = BackupLocationCache.reduced();

        store.put(store.getKey(backup), backup);

        Backup cached = store.get(store.getKey(backup));
        assertThat(cached.getMetadata().getName()).isEqualTo("nightly");
        assertThat(cached.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(cached.getSpec().storageRef().name()).isEqualTo("prod-backups");
        assertThat(cached.getStatus().phase()).isEqualTo(BackupPhase.Completed);
        assertThat(cached.getStatus().archive().bucket()).isEqualTo("db-backups");
        assertThat(cached.getStatus().archive().key()).isEqualTo("prod/shop/nightly");
        assertThat(cached.getStatus().message()).isNull();
        assertThat(cached.getStatus().jobName()).isNull();
    }
}
