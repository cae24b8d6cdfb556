package io.backtrack.api.tls;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A client certificate and its private key in a Secret of the resource's namespace, as cert-manager and
 * {@code kubectl create secret tls} write them: PEM certificate under tls.crt, unencrypted PEM key (PKCS#8, PKCS#1 RSA
 * or SEC1 EC) under tls.key.
 */
public record ClientCertSecret(
        @Required @JsonPropertyDescription("Name of the Secret holding the client certificate and key (type kubernetes.io/tls, or any Secret with the two keys).")
        String name,
        @JsonPropertyDescription("Key of the PEM certificate in the Secret. Default: " + ClientCertSecret.DEFAULT_CERT_KEY + ".")
        String certKey,
        @JsonPropertyDescription("Key of the unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) in the Secret. Default: " + ClientCertSecret.DEFAULT_KEY_KEY + ".")
        String keyKey) {

    public static final String DEFAULT_CERT_KEY = "tls.crt";
    public static final String DEFAULT_KEY_KEY = "tls.key";

    public String certKeyOrDefault() {
        return certKey == null || certKey.isBlank() ? DEFAULT_CERT_KEY : certKey;
    }

    public String keyKeyOrDefault() {
        return keyKey == null || keyKey.isBlank() ? DEFAULT_KEY_KEY : keyKey;
    }
}
