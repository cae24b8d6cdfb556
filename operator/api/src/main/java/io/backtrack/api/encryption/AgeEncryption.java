package io.backtrack.api.encryption;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** age encryption to the public keys (recipients) in a Secret. */
public record AgeEncryption(
        @Required @JsonPropertyDescription("The Secret holding the recipients: public keys only (age1..., as "
                + "age-keygen prints them), one per line; blank lines and # comments are ignored. Never put an "
                + "identity (private key) here: only a Restore's decryption.identitySecret holds one. A backup whose "
                + "recipients are empty or invalid fails; it is never written unencrypted. Changing the recipients "
                + "affects new backups only.")
        RecipientsSecret recipientsSecret) {
}
