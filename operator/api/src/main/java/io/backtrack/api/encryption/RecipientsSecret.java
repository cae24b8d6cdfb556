package io.backtrack.api.encryption;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The key of a Secret in the resource's namespace holding age recipients (public keys). */
public record RecipientsSecret(
        @Required @Size(min = 1) @JsonPropertyDescription("Name of the Secret.")
        String name,
        @JsonPropertyDescription("Key of the recipients in the Secret. Default: " + RecipientsSecret.DEFAULT_KEY + ".")
        String key) {

    public static final String DEFAULT_KEY = "recipients";

    public String keyOrDefault() {
        return key == null || key.isBlank() ? DEFAULT_KEY : key;
    }
}
