package io.backtrack.e2e.cluster;

/** A container cannot be configured yet (missing Secret, ConfigMap or key); the message is the kubelet's. */
final class ContainerConfigException extends Exception {
    ContainerConfigException(String message) {
        super(message, null, false, false);
    }
}
