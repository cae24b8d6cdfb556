package io.backtrack.agent.backup;

import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.manifest.BackupScope;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.agent.stream.Compression;

import java.nio.file.Path;

/** Everything a backup needs, validated by the CLI. {@code level} is null for {@code none}. */
public record BackupRequest(
        PgTarget database,
        S3Location storage,
        BackupFolder folder,
        Compression compression,
        Integer level,
        BackupScope scope,
        String description,
        String namespace,
        String backupName,
        String schedule,
        Path pgBinRoot) {
}
