package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;

/**
 * Creates an object under its deterministic name. One that already exists is the same object (created by an
 * earlier reconcile whose status write was lost), never a second one.
 */
public final class CreateOnce {
    private CreateOnce() {
    }

    public static <T extends HasMetadata> String create(KubernetesClient client, T resource) {
        return create(client, resource, null);
    }

    /**
     * Also hands what was created to the informer that will see it: its add event, which only says what this
     * reconcile did, then starts no reconcile of its own, and the reconciler finds the object even before the
     * informer does.
     */
    @SuppressWarnings("unchecked")
    public static <T extends HasMetadata> String create(KubernetesClient client, T resource, EventSource<T, ?> informer) {
        try {
            T created = client.resource(resource).create();
            if (informer instanceof RecentOperationCacheFiller<?> filler) {
                ((RecentOperationCacheFiller<T>) filler).handleRecentResourceCreate(ResourceID.fromResource(created), created);
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        return resource.getMetadata().getName();
    }
}
