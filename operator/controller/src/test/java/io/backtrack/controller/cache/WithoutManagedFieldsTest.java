package io.backtrack.controller.cache;

import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void emptyMapsAndListsAreOneSharedImmutableInstance() {
        // As an informer reads it: every object with its own empty maps and lists.
        Backup backup = new KubernetesSerialization().unmarshal("""
                {"apiVersion":"backtrack.io/v1alpha1","kind":"Backup","metadata":{"name":"nightly","namespace":"shop"},
                 "status":{"phase":"Pending","conditions":[{"type":"Ready","status":"False","reason":"Queued"},
                   {"type":"Stalled","status":"False","reason":"Queued","futureField":"kept"}]}}""", Backup.class);
        WithoutManagedFields.Backups store = new WithoutManagedFields.Backups();

        store.put(store.getKey(backup), backup);

        Backup cached = store.get("shop/nightly");
        assertThat(cached.getMetadata().getAnnotations()).isEmpty();
        assertThat(cached.getMetadata().getAnnotations()).isSameAs(cached.getMetadata().getLabels())
                .isSameAs(cached.getStatus().conditions().get(0).getAdditionalProperties());
        assertThat(cached.getMetadata().getFinalizers()).isEmpty();
        assertThat(cached.getMetadata().getFinalizers()).isSameAs(cached.getMetadata().getOwnerReferences());
        assertThatThrownBy(() -> cached.getMetadata().getLabels().put("k", "v"))
                .as("a write to a cached object fails instead of changing the cache")
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(cached.getStatus().conditions().get(1).getAdditionalProperties()).containsEntry("futureField", "kept");
        assertThat(cached.getStatus().conditions()).extracting(Condition::getReason).containsExactly("Queued", "Queued");
    }
}
