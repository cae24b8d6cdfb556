package io.backtrack.agent.manifest;

import java.util.List;

/**
 * The roles a backup recorded: the roles file beside the archive (its key and SHA-256, so a restore runs exactly
 * what the backup wrote) and, readable without it, each role's name and why the database needs it. Null in manifests
 * from before roles were recorded.
 *
 * @param passwords whether the file holds password hashes (the manifest never does)
 */
public record ManifestRoles(String key, String sha256, long sizeBytes, boolean passwords, List<Use> roles) {

    public ManifestRoles {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** Roles that the restored objects' grants (ACLs, default privileges, policies) name. */
    public List<String> granted() {
        return roles.stream().filter(Use::granted).map(Use::name).toList();
    }

    /** @param owns it owns objects in the database; @param granted it is named in the database's grants or policies */
    public record Use(String name, boolean owns, boolean granted) {
    }
}
