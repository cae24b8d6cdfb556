package io.backtrack.agent.backup;

import io.backtrack.agent.crypto.AgeRecipients;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.manifest.ManifestScope;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.wire.ArchiveCompression;

import java.nio.file.Path;

/**
 * Everything a backup needs, validated by the CLI. {@code level} is null for {@code none}; {@code rolePasswords}
 * records password hashes in the roles file; {@code recipients}, when not null, encrypt the archive and the roles
 * file with age.
 */
public record BackupRequest(
        PgTarget database,
        S3Location storage,
        BackupFolder folder,
        ArchiveCompression compression,
        Integer level,
        ManifestScope scope,
        String description,
        String namespace,
        String backupName,
        String schedule,
        Path pgBinRoot,
        boolean rolePasswords,
        AgeRecipients recipients) {

    public boolean encrypted() {
        return recipients != null;
    }
}
