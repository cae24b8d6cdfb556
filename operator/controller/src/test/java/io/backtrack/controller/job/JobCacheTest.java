package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobCacheTest {
    private static Job agentJob() {
        return new JobBuilder()
                .withNewMetadata().withName("nightly-5d420").withNamespace("shop").withResourceVersion("445")
                .withUid("823a8974").withGeneration(1L).withCreationTimestamp("2026-12-06T19:12:18Z")
                .addToLabels("backtrack.io/backup", "nightly").addToAnnotations("note", "dropped")
                .withDeletionTimestamp("2026-12-06T19:13:00Z")
                .addNewOwnerReference().withKind("Backup").withName("nightly").withUid("7852ffbb")
                .withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withActiveDeadlineSeconds(3600L).withBackoffLimit(0)
                .withNewTemplate().withNewSpec().addNewContainer().withName("agent").withImage("backtrack-agent")
                .addToArgs("backup").endContainer().endSpec().endTemplate()
                .endSpec()
                .withNewStatus().withActive(1).withReady(0).withStartTime("2026-12-06T19:12:18Z")
                .addNewCondition().withType("Failed").withStatus("True").withReason("DeadlineExceeded").endCondition()
                .endStatus()
                .build();
    }

    @Test
    void keepsWhatTheReconcilersReadAndNothingElse() {
        ItemStore<Job> cache = JobCache.reduced();
        Job full = agentJob();
        String key = cache.getKey(full);
        cache.put(key, full);

        Job kept = cache.get(key);
        assertThat(key).isEqualTo("shop/nightly-5d420");
        assertThat(kept.getMetadata().getName()).isEqualTo("nightly-5d420");
        assertThat(kept.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("445");
        assertThat(kept.getMetadata().getUid()).isEqualTo("823a8974");
        assertThat(kept.getMetadata().getLabels()).containsExactlyEntriesOf(full.getMetadata().getLabels());
        assertThat(kept.getMetadata().getOwnerReferences()).isEqualTo(full.getMetadata().getOwnerReferences());
        assertThat(kept.getMetadata().getDeletionTimestamp()).isEqualTo("2026-12-06T19:13:00Z");
        assertThat(kept.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
        assertThat(kept.getStatus()).isEqualTo(full.getStatus());

        assertThat(kept.getSpec().getTemplate()).as("the Pod template, most of a Job").isNull();
        assertThat(kept.getSpec().getBackoffLimit()).isNull();
        assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(kept.getMetadata().getCreationTimestamp()).isNull();
        assertThat(full.getSpec().getTemplate()).as("the informer's own object is left whole").isNotNull();
    }

    @Test
    void emptyMapsAndListsOfAKeptJobAreShared() {
        Job read = new KubernetesSerialization().unmarshal("""
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"nightly-5d420","namespace":"shop",
                  "labels":{"backtrack.io/backup":"nightly"}},
                 "spec":{"activeDeadlineSeconds":3600},
                 "status":{"active":1,"ready":0,"uncountedTerminatedPods":{}}}""", Job.class);
        Job kept = JobCache.kept(read);
        assertThat(kept.getAdditionalProperties()).isEmpty();
        assertThat(kept.getAdditionalProperties()).isSameAs(kept.getMetadata().getAnnotations())
                .isSameAs(kept.getSpec().getAdditionalProperties())
                .isSameAs(kept.getStatus().getAdditionalProperties())
                .isSameAs(kept.getStatus().getUncountedTerminatedPods().getAdditionalProperties());
        assertThat(kept.getStatus().getConditions()).isEmpty();
        assertThat(kept.getStatus().getConditions()).isSameAs(kept.getMetadata().getFinalizers())
                .isSameAs(kept.getStatus().getUncountedTerminatedPods().getFailed());
        assertThat(kept.getMetadata().getLabels()).containsEntry("backtrack.io/backup", "nightly");
        assertThat(kept.getStatus().getActive()).isEqualTo(1);
    }

    @Test
    void aJobWithoutSpecOrStatusIsKeptAsIs() {
        Job bare = new JobBuilder().withNewMetadata().withName("probe").withNamespace("shop").endMetadata().build();
        Job kept = JobCache.kept(bare);
        assertThat(kept.getSpec()).isNull();
        assertThat(kept.getStatus()).isNull();
        assertThat(kept.getMetadata().getName()).isEqualTo("probe");
    }
}
