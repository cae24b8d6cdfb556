package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Read-modify-write of a status subresource with optimistic locking, as controllers do: on a 409 the
 * object is read again and the change re-applied. Returns {@code null} when the object is gone (or was
 * replaced by a new one with the same name).
 */
final class StatusWriter {

    private static final int ATTEMPTS = 50;

    private final KubernetesClient client;

    StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    Job job(String namespace, String name, String uid, Consumer<Job> change) {
        return update(() -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get(), uid, change);
    }

    Pod pod(String namespace, String name, String uid, Consumer<Pod> change) {
        return update(() -> client.pods().inNamespace(namespace).withName(name).get(), uid, change);
    }

    private <T extends HasMetadata> T update(Supplier<T> read, String uid, Consumer<T> change) {
        for (int attempt = 1; ; attempt++) {
            T current = read.get();
            if (current == null || (uid != null && !uid.equals(current.getMetadata().getUid()))) {
                return null;
            }
            change.accept(current);
            try {
                return client.resource(current).updateStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return null;
                }
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw e;
                }
                sleep(10L * Math.min(attempt, 10));
            }
        }
    }

    /** Kubernetes' timestamp format: RFC 3339, whole seconds, UTC. */
    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while retrying a status update");
        }
    }
}
