package io.backtrack.controller.cache;

import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WithoutManagedFieldsTest {

    @Test
    void theCacheKeepsEverythingButTheFieldManagersRecords() {
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace("shop").withResourceVersion("7")
                .withLabels(Map.of("backtrack.io/schedule", "nightly"))
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("argocd-controller")
                        .withOperation("Apply").withFieldsV1(new FieldsV1()).build())
                .build());
        WithoutManagedFields.Backups store = new WithoutManagedFields.Backups();

        store.put(store.getKey(backup), backup);

        Backup cached = store.get("shop/nightly");
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(cached.getMetadata().getLabels()).containsEntry("backtrack.io/schedule", "nightly");
    }
}
