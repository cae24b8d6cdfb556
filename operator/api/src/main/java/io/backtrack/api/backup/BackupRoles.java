package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The roles a backup records beside its archive: every role the database's objects are owned by or granted to (and
 * the database's owner), with their attributes and their memberships among each other, so that a restore into a
 * server without them can create them (Restore spec.roles: createMissing).
 */
public record BackupRoles(
        @JsonPropertyDescription("Record the roles' password hashes too (needs a superuser: they are read from "
                + "pg_authid). They are stored in the roles script beside the archive, never in the manifest. "
                + "Default: false (restored roles get no password).")
        Boolean passwords) {

    public boolean passwordsOrDefault() {
        return Boolean.TRUE.equals(passwords);
    }
}
