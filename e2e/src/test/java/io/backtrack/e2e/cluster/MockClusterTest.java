package io.backtrack.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockClusterTest {

    static MockCluster cluster;
    static KubernetesClient other; // a separate client, as the operator's process would have

    /** A tiny CRD: namespaced, with a status subresource, like Backtrack's own. */
    static final String WIDGET_CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.test.backtrack.io
            spec:
              group: test.backtrack.io
              names:
                kind: Widget
                plural: widgets
                singular: widget
                shortNames: [wdg]
              scope: Namespaced
              versions:
                - name: v1
                  served: true
                  storage: true
                  subresources:
                    status: {}
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          x-kubernetes-preserve-unknown-fields: true
                        status:
                          type: object
                          x-kubernetes-preserve-unknown-fields: true
            """;

    @TempDir
    static Path crds;

    @BeforeAll
    static void start() throws IOException {
        cluster = MockCluster.start();
        Files.writeString(crds.resolve("widgets.test.backtrack.io-v1.yml"), WIDGET_CRD);
        Files.writeString(crds.resolve("README.txt"), "not a manifest: skipped");
        assertThat(cluster.applyCrds(crds)).hasSize(1);
        other = MockCluster.newClient(cluster.url());
    }

    @AfterAll
    static void stop() {
        other.close();
        cluster.close();
    }

    static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> widgets(
            KubernetesClient client) {
        return client.genericKubernetesResources("test.backtrack.io/v1", "Widget");
    }

    static GenericKubernetesResource widget(String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion("test.backtrack.io/v1").withKind("Widget")
                .withNewMetadata().withName(name).withNamespace("ns1").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("size", 1))).build();
    }

    @Test
    void urlIsLoopbackHttp() {
        assertThat(cluster.url()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(other.getKubernetesVersion()).isNotNull();
    }

    @Test
    void separateClientWatchesCustomResources() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (var watch = widgets(other).inNamespace("ns1").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource r) {
                events.add(action + " " + r.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            GenericKubernetesResource created = widgets(cluster.client()).resource(widget("w1")).create();
            assertThat(created.getMetadata().getUid()).isNotBlank();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("ADDED w1");

            created.setAdditionalProperty("status", Map.of("phase", "Running"));
            widgets(cluster.client()).resource(created).updateStatus();
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("MODIFIED w1");
        }
        assertThat(widgets(other).inNamespace("ns1").list().getItems()).extracting(r -> r.getMetadata().getName())
                .contains("w1");
    }

    @Test
    void statusUpdatesUseOptimisticLocking() {
        var created = widgets(other).resource(widget("w2")).create();
        var stale = widgets(other).inNamespace("ns1").withName("w2").get();

        created.setAdditionalProperty("status", Map.of("phase", "Running"));
        var updated = widgets(other).resource(created).updateStatus();
        assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(stale.getMetadata().getResourceVersion());

        stale.setAdditionalProperty("status", Map.of("phase", "Failed"));
        assertThatThrownBy(() -> widgets(other).resource(stale).updateStatus())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(status(widgets(other).inNamespace("ns1").withName("w2").get())).containsEntry("phase", "Running");
    }

    @Test
    void statusSubresourceTakesMergeAndJsonPatches() {
        widgets(other).resource(widget("w3")).create();
        var w3 = widgets(other).inNamespace("ns1").withName("w3");

        w3.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");
        assertThat(status(w3.get())).containsEntry("phase", "Running");

        w3.subresource("status").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/status/message\",\"value\":\"hello\"}]");
        assertThat(status(w3.get())).containsEntry("phase", "Running").containsEntry("message", "hello");

        // A patch that carries a resourceVersion is a precondition, as on a real API server.
        String stale = w3.get().getMetadata().getResourceVersion();
        w3.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Done\"}}");
        assertThatThrownBy(() -> w3.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"resourceVersion\":\"" + stale + "\"},\"status\":{\"phase\":\"Failed\"}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        w3.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Running\"}}");

        // Finalizers are added with patches of the main resource (JOSDK without SSA).
        w3.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":[\"test.backtrack.io/f\"]}}");
        assertThat(w3.get().getMetadata().getFinalizers()).containsExactly("test.backtrack.io/f");
        assertThat(status(w3.get())).containsEntry("phase", "Running");
    }

    @Test
    void objectsAreFoundByNamespaceKindAndNameAsTheyChange() {
        // The same name in two namespaces and as two kinds: each GET, update and delete finds its own object.
        var inNs1 = widgets(other).resource(widget("same")).create();
        var ns2 = widget("same");
        ns2.getMetadata().setNamespace("ns2");
        widgets(other).resource(ns2).create();
        other.configMaps().inNamespace("ns1").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("same").endMetadata().addToData("k", "v").build()).create();
        assertThatThrownBy(() -> widgets(other).resource(widget("same")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        inNs1.setAdditionalProperty("status", Map.of("phase", "Running"));
        widgets(other).resource(inNs1).updateStatus();
        assertThat(status(widgets(other).inNamespace("ns1").withName("same").get())).containsEntry("phase", "Running");
        assertThat(widgets(other).inNamespace("ns2").withName("same").get().getAdditionalProperties()).doesNotContainKey("status");
        assertThat(other.configMaps().inNamespace("ns1").withName("same").get().getData()).containsEntry("k", "v");

        widgets(other).inNamespace("ns1").withName("same").delete();
        assertThat(widgets(other).inNamespace("ns1").withName("same").get()).isNull();
        assertThat(widgets(other).inNamespace("ns2").withName("same").get()).isNotNull();
        assertThat(other.configMaps().inNamespace("ns1").withName("same").get()).isNotNull();
        assertThat(widgets(other).inAnyNamespace().list().getItems())
                .filteredOn(w -> w.getMetadata().getName().equals("same"))
                .extracting(w -> w.getMetadata().getNamespace()).containsExactly("ns2");
    }

    @Test
    void jobsWithOwnersAreGarbageCollected() {
        var owner = widgets(other).resource(widget("w4")).create();
        Job job = new JobBuilder().withNewMetadata().withName("w4-job").withNamespace("ns1")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("test.backtrack.io/v1").withKind("Widget")
                        .withName("w4").withUid(owner.getMetadata().getUid()).withController(true)
                        .withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("test/echo").endContainer()
                .endSpec().endTemplate().endSpec().build();
        other.resource(job).create();

        assertThat(cluster.collectGarbage()).isZero();
        assertThat(other.batch().v1().jobs().inNamespace("ns1").withName("w4-job").get()).isNotNull();

        widgets(other).inNamespace("ns1").withName("w4").withPropagationPolicy(
                io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND).delete();
        assertThat(cluster.collectGarbage()).isEqualTo(1);
        assertThat(other.batch().v1().jobs().inNamespace("ns1").withName("w4-job").get()).isNull();
    }

    @Test
    void backgroundGarbageCollectorDeletesOrphans() throws InterruptedException {
        var owner = widgets(other).resource(widget("w5")).create();
        Job job = new JobBuilder().withNewMetadata().withName("w5-job").withNamespace("ns1")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("test.backtrack.io/v1").withKind("Widget")
                        .withName("w5").withUid(owner.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("test/echo").endContainer()
                .endSpec().endTemplate().endSpec().build();
        other.resource(job).create();
        cluster.startGarbageCollector(Duration.ofMillis(200));
        widgets(other).inNamespace("ns1").withName("w5").withPropagationPolicy(
                io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (other.batch().v1().jobs().inNamespace("ns1").withName("w5-job").get() != null
                && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(other.batch().v1().jobs().inNamespace("ns1").withName("w5-job").get()).isNull();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties().get("status");
        return status == null ? Map.of() : (Map<String, Object>) status;
    }
}
