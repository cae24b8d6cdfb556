package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Creates an object under its deterministic name. One that already exists is the same object (created by an
 * earlier reconcile whose status write was lost), never a second one.
 */
public final class CreateOnce {
    private CreateOnce() {
    }

    public static <T extends HasMetadata> String create(KubernetesClient client, T resource) {
        try {
            client.resource(resource).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        return resource.getMetadata().getName();
    }
}
