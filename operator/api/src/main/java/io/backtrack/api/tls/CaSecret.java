package io.backtrack.api.tls;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A PEM bundle of CA certificates in a Secret of the resource's namespace (e.g. the ca.crt of a cert-manager Secret). */
public record CaSecret(
        @Required @JsonPropertyDescription("Name of the Secret holding the CA bundle.")
        String name,
        @JsonPropertyDescription("Key of the PEM bundle in the Secret: one or more -----BEGIN CERTIFICATE----- blocks. Default: " + CaSecret.DEFAULT_KEY + ".")
        String key) {

    public static final String DEFAULT_KEY = "ca.crt";

    public String keyOrDefault() {
        return key == null || key.isBlank() ? DEFAULT_KEY : key;
    }
}
