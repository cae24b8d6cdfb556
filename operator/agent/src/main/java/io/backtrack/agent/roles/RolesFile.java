package io.backtrack.agent.roles;

import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.crypto.AgeRecipients;
import io.backtrack.agent.crypto.AgeStreams;
import io.backtrack.agent.manifest.ManifestRoles;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.stream.Sha256;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.ArchiveCompression;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The roles file beside an archive: written by a backup, read back (and checked) by a restore. Beside an encrypted
 * archive it is encrypted to the same recipients ({@code .sql.age}): with password hashes recorded it is as secret as
 * the data. Its SHA-256 in the manifest is of the stored bytes, as the archive's.
 */
public final class RolesFile {
    private static final String CONTENT_TYPE = "application/sql";
    private static final String ENCRYPTED_CONTENT_TYPE = "application/octet-stream";

    private RolesFile() {
    }

    /**
     * Writes the roles script under {@code key}, encrypted to {@code recipients} unless they are null, and returns
     * what the manifest records of it.
     */
    public static ManifestRoles write(ObjectStore store, String key, List<DatabaseRole> roles, boolean passwords,
                                      AgeRecipients recipients) {
        byte[] plain = RolesScript.of(roles).bytes();
        byte[] script = recipients == null ? plain : AgeStreams.encrypt(plain, recipients);
        if (!store.putIfAbsent(key, script, recipients == null ? CONTENT_TYPE : ENCRYPTED_CONTENT_TYPE)) {
            throw new AgentFailure(Reason.DumpFailed, key + " already exists in bucket " + store.location().bucket()
                    + "; another attempt wrote it (each attempt names its own)");
        }
        return new ManifestRoles(key, Sha256.hex(script, script.length), script.length, passwords, roles.stream()
                .map(r -> new ManifestRoles.Use(r.name(), r.owns(), r.granted())).toList());
    }

    /**
     * The script a manifest names, refused unless it is byte for byte what the backup wrote; an encrypted one is
     * decrypted with {@code identity} ({@code recipients}: the archive's, for messages).
     */
    public static RolesScript read(ObjectStore store, ManifestRoles roles, AgeIdentity identity,
                                   List<String> recipients) {
        byte[] script = store.readSmall(roles.key()).orElseThrow(() -> new AgentFailure(Reason.ArchiveNotFound,
                "the backup's roles file " + roles.key() + " is missing from bucket " + store.location().bucket()));
        String sha = Sha256.hex(script, script.length);
        if (!sha.equals(roles.sha256())) {
            throw new AgentFailure(Reason.ArchiveCorrupt, "the roles file " + roles.key() + " has SHA-256 " + sha
                    + " but the manifest records " + roles.sha256() + "; it was changed after the backup, so no role "
                    + "is created from it");
        }
        if (ArchiveCompression.isEncrypted(roles.key())) {
            try {
                script = AgeStreams.decrypt(script, identity, roles.key(), recipients);
            } catch (IOException e) {
                throw new AgentFailure(Reason.ArchiveCorrupt, "the roles file " + roles.key() + " matches its SHA-256 "
                        + "but does not decrypt: " + e.getMessage(), e);
            }
        }
        return RolesScript.parse(new String(script, StandardCharsets.UTF_8));
    }
}
