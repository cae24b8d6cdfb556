package io.backtrack.controller.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.Optional;

/**
 * Checks that a referenced Secret and its keys exist before a Job is created, so a typo shows up as a clear
 * condition on the resource instead of a Pod stuck in CreateContainerConfigError. Values are never read
 * into anything but this presence check.
 */
public final class SecretCheck {
    private final KubernetesClient client;

    public SecretCheck(KubernetesClient client) {
        this.client = client;
    }

    /** Returns a message naming what is missing, or empty when the Secret has every key. */
    public Optional<String> missing(String namespace, String secretName, String purpose, String... keys) {
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null) {
            return Optional.of("Secret " + namespace + "/" + secretName + " (" + purpose + ") does not exist");
        }
        for (String key : keys) {
            if (!has(secret.getData(), key) && !has(secret.getStringData(), key)) {
                return Optional.of("Secret " + namespace + "/" + secretName + " (" + purpose + ") has no key \"" + key + "\"");
            }
        }
        return Optional.empty();
    }

    private static boolean has(Map<String, String> data, String key) {
        return data != null && data.get(key) != null;
    }
}
