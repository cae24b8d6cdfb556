package io.backtrack.agent.roles;

import io.backtrack.agent.manifest.ManifestRoles;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.stream.Sha256;
import io.backtrack.contract.result.Reason;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The roles file beside an archive: written by a backup, read back (and checked) by a restore. */
public final class RolesFile {
    private static final String CONTENT_TYPE = "application/sql";

    private RolesFile() {
    }

    /** Writes the roles script under {@code key} and returns what the manifest records of it. */
    public static ManifestRoles write(ObjectStore store, String key, List<DatabaseRole> roles, boolean passwords) {
        byte[] script = RolesScript.of(roles).bytes();
        if (!store.putIfAbsent(key, script, CONTENT_TYPE)) {
            throw new AgentFailure(Reason.DumpFailed, key + " already exists in bucket " + store.location().bucket()
                    + "; another attempt wrote it (each attempt names its own)");
        }
        return new ManifestRoles(key, Sha256.hex(script, script.length), script.length, passwords, roles.stream()
                .map(r -> new ManifestRoles.Use(r.name(), r.owns(), r.granted())).toList());
    }

    /** The script a manifest names, refused unless it is byte for byte what the backup wrote. */
    public static RolesScript read(ObjectStore store, ManifestRoles roles) {
        byte[] script = store.readSmall(roles.key()).orElseThrow(() -> new AgentFailure(Reason.ArchiveNotFound,
                "the backup's roles file " + roles.key() + " is missing from bucket " + store.location().bucket()));
        String sha = Sha256.hex(script, script.length);
        if (!sha.equals(roles.sha256())) {
            throw new AgentFailure(Reason.ArchiveCorrupt, "the roles file " + roles.key() + " has SHA-256 " + sha
                    + " but the manifest records " + roles.sha256() + "; it was changed after the backup, so no role "
                    + "is created from it");
        }
        return RolesScript.parse(new String(script, StandardCharsets.UTF_8));
    }
}
