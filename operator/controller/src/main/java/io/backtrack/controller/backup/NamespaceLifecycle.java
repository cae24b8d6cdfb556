package io.backtrack.controller.backup;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

/**
 * Whether a namespace is being deleted. In a terminating namespace nothing new can be created (no cleanup Job, no
 * Event), and every Backup in it is being deleted by the namespace controller, not by anyone's decision about it.
 */
final class NamespaceLifecycle {
    private static final Logger LOG = Logger.getLogger(NamespaceLifecycle.class);

    private final KubernetesClient client;

    NamespaceLifecycle(KubernetesClient client) {
        this.client = client;
    }

    /** True when the namespace is Terminating (or already gone); false when it is active or cannot be read. */
    boolean isGoing(String namespace) {
        try {
            return isGoing(client.namespaces().withName(namespace).get());
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read namespace %s (%d %s): taking it as active", namespace, e.getCode(), e.getMessage());
            return false;
        }
    }

    static boolean isGoing(Namespace namespace) {
        return namespace == null || namespace.getMetadata().getDeletionTimestamp() != null
                || (namespace.getStatus() != null && "Terminating".equals(namespace.getStatus().getPhase()));
    }
}
