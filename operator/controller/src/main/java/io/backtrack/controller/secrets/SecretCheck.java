package io.backtrack.controller.secrets;

import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseTls;
import io.backtrack.api.encryption.DecryptionSpec;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.storage.S3Storage;
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

    /** The storage's Secrets: the static access key when given, the CA bundle when given. */
    public Optional<String> missingForStorage(String namespace, S3Storage s3) {
        var keys = s3.credentialsSecret();
        Optional<String> missing = keys == null ? Optional.empty() : missing(namespace, keys.name(), "S3 credentials",
                keys.accessKeyIdKeyOrDefault(), keys.secretAccessKeyKeyOrDefault());
        if (missing.isEmpty() && s3.caSecret() != null) {
            missing = missing(namespace, s3.caSecret().name(), "S3 CA bundle", s3.caSecret().keyOrDefault());
        }
        return missing;
    }

    /** The Secret of an encryption's recipients, when there is an encryption. */
    public Optional<String> missingForEncryption(String namespace, EncryptionSpec encryption) {
        if (encryption == null || encryption.age() == null || encryption.age().recipientsSecret() == null) {
            return Optional.empty();
        }
        var secret = encryption.age().recipientsSecret();
        return missing(namespace, secret.name(), "age recipients", secret.keyOrDefault());
    }

    /** The Secret of a decryption's identity, when there is a decryption. */
    public Optional<String> missingForDecryption(String namespace, DecryptionSpec decryption) {
        if (decryption == null || decryption.identitySecret() == null) {
            return Optional.empty();
        }
        var secret = decryption.identitySecret();
        return missing(namespace, secret.name(), "age identity", secret.keyOrDefault());
    }

    /** A database's Secrets: the credentials, and the CA bundle and client certificate its TLS names. */
    public Optional<String> missingForDatabase(String namespace, DatabaseCredentials credentials, DatabaseTls tls,
                                               String purpose) {
        Optional<String> missing = missing(namespace, credentials.name(), purpose + " credentials",
                credentials.usernameKeyOrDefault(), credentials.passwordKeyOrDefault());
        if (missing.isEmpty() && tls != null && tls.caSecret() != null) {
            missing = missing(namespace, tls.caSecret().name(), purpose + " CA bundle", tls.caSecret().keyOrDefault());
        }
        if (missing.isEmpty() && tls != null && tls.clientCertSecret() != null) {
            var clientCert = tls.clientCertSecret();
            missing = missing(namespace, clientCert.name(), purpose + " client certificate",
                    clientCert.certKeyOrDefault(), clientCert.keyKeyOrDefault());
        }
        return missing;
    }

    private static boolean has(Map<String, String> data, String key) {
        return data != null && data.get(key) != null;
    }
}
