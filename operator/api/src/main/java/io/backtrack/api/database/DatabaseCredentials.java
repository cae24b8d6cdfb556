package io.backtrack.api.database;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the database user and password are kept: a Secret in the resource's namespace. */
public record DatabaseCredentials(
        @Required @JsonPropertyDescription("Name of the Secret holding the database credentials.")
        String name,
        @JsonPropertyDescription("Key of the user name in the Secret. Default: username.")
        String usernameKey,
        @JsonPropertyDescription("Key of the password in the Secret. Default: password.")
        String passwordKey) {

    public String usernameKeyOrDefault() {
        return usernameKey == null || usernameKey.isBlank() ? "username" : usernameKey;
    }

    public String passwordKeyOrDefault() {
        return passwordKey == null || passwordKey.isBlank() ? "password" : passwordKey;
    }
}
