package io.backtrack.e2e.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of kube-controller-manager's garbage collector the operator relies on: a Job or Pod whose
 * owners are all gone (no object of that kind, name and uid) is deleted. Dependents of dependents follow
 * on the next pass, like background propagation.
 */
final class GarbageCollector {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private record OwnerKey(String namespace, String apiVersion, String kind, String name) {}

    private static final String UNKNOWN = "?";

    private final KubernetesClient client;

    GarbageCollector(KubernetesClient client) {
        this.client = client;
    }

    synchronized int collect() {
        List<HasMetadata> candidates = new ArrayList<>();
        candidates.addAll(client.batch().v1().jobs().inAnyNamespace().list().getItems());
        candidates.addAll(client.pods().inAnyNamespace().list().getItems());
        Map<OwnerKey, String> ownerUids = new HashMap<>(); // per pass: owner -> uid, "" absent, UNKNOWN
        int deleted = 0;
        for (HasMetadata object : candidates) {
            List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
            if (owners == null || owners.isEmpty()) {
                continue;
            }
            boolean orphaned = owners.stream().noneMatch(ref -> {
                OwnerKey key = new OwnerKey(object.getMetadata().getNamespace(), ref.getApiVersion(), ref.getKind(),
                        ref.getName());
                String uid = ownerUids.computeIfAbsent(key, this::uidOf);
                return uid.equals(UNKNOWN) || Objects.equals(uid, ref.getUid());
            });
            if (orphaned) {
                LOG.info("garbage collecting {} {}/{}: its owners are gone", object.getKind(),
                        object.getMetadata().getNamespace(), object.getMetadata().getName());
                client.resource(object).withGracePeriod(0).delete();
                deleted++;
            }
        }
        return deleted;
    }

    private String uidOf(OwnerKey key) {
        try {
            HasMetadata owner = client.genericKubernetesResources(key.apiVersion(), key.kind())
                    .inNamespace(key.namespace()).withName(key.name()).get();
            return owner == null ? "" : owner.getMetadata().getUid();
        } catch (KubernetesClientException e) {
            // Deleting on a failed lookup could destroy a live object's Jobs: keep them, retry next pass.
            LOG.debug("cannot look up owner {}: {}", key, e.getMessage());
            return UNKNOWN;
        }
    }
}
