package io.backtrack.api.encryption;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The key of a Secret in the Restore's namespace holding an age identity (private key). */
public record IdentitySecret(
        @Required @Size(min = 1) @JsonPropertyDescription("Name of the Secret.")
        String name,
        @JsonPropertyDescription("Key of the identity in the Secret. Default: " + IdentitySecret.DEFAULT_KEY + ".")
        String key) {

    public static final String DEFAULT_KEY = "identity";

    public String keyOrDefault() {
        return key == null || key.isBlank() ? DEFAULT_KEY : key;
    }
}
