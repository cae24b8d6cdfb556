package io.backtrack.api.encryption;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Client-side encryption of the archives written: the agent encrypts the compressed dump while it streams, so the
 * object store only ever holds ciphertext. On a BackupStorage it applies to every Backup written there; a Backup's
 * own setting wins over it.
 */
public record EncryptionSpec(
        @Required @JsonPropertyDescription("Encrypt each archive (and its roles file) in the age format to X25519 "
                + "recipients: the archive becomes archive-...pgdump.zst.age, which the stock age CLI decrypts with any "
                + "one recipient's identity. The SHA-256 in the status and manifest is of the encrypted bytes, so "
                + "checking it needs no key.")
        AgeEncryption age) {
}
