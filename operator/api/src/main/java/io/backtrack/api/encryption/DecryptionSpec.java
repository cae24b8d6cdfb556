package io.backtrack.api.encryption;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * How a Restore (or a drill) decrypts an encrypted archive: with an age identity from a Secret of its own namespace.
 * The identity is read only from here, never from the BackupStorage the backup was written with, so who may write
 * backups and who may read them stay apart.
 */
public record DecryptionSpec(
        @Required @JsonPropertyDescription("The Secret holding an age identity (private key, AGE-SECRET-KEY-1..., an "
                + "age identity file's content; several lines may hold several identities) of one of the recipients "
                + "the archive was encrypted to. A wrong or missing identity fails the restore with DecryptionFailed "
                + "before the target is touched.")
        IdentitySecret identitySecret) {
}
