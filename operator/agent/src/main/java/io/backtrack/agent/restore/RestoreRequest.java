package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.S3Location;

import java.nio.file.Path;

/** Restore a backup folder into a new database ({@code target.database()}, which must not exist yet). */
public record RestoreRequest(S3Location storage, BackupFolder folder, PgTarget target, boolean noOwner,
                             Path pgBinRoot) {
}
