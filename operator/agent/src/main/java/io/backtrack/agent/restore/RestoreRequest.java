package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.S3Location;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Restore a backup folder into {@code target} with a strategy, one phase at a time or all at once.
 * {@code sideDatabase}/{@code previousDatabase} are swap's names (null: derived, see {@link DatabaseNames}).
 */
public record RestoreRequest(S3Location storage, BackupFolder folder, PgTarget target, boolean noOwner,
                             Path pgBinRoot, RestoreStrategy strategy, RestorePhase phase, String sideDatabase,
                             String previousDatabase, RestoreScope scope, VerifyMode verify,
                             Duration lockTimeout) {
    /** How long an in-place restore's statements wait for a lock before the restore fails, unchanged. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

    /** The original restore: everything into a new database. */
    public RestoreRequest(S3Location storage, BackupFolder folder, PgTarget target, boolean noOwner, Path pgBinRoot) {
        this(storage, folder, target, noOwner, pgBinRoot, RestoreStrategy.NEW_DATABASE, RestorePhase.ALL, null, null,
                RestoreScope.whole(), VerifyMode.ROW_COUNTS, DEFAULT_LOCK_TIMEOUT);
    }
}
