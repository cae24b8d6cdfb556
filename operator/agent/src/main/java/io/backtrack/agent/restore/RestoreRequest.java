package io.backtrack.agent.restore;

import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;
import io.backtrack.contract.wire.RolesPolicy;
import io.backtrack.contract.wire.VerifyMode;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Restore a backup folder into {@code target} with a strategy, one step at a time or all at once.
 * {@code sideDatabase}/{@code previousDatabase} are swap's names (null: derived, see {@link DatabaseNames});
 * {@code roles} what to do about roles the target lacks ({@link RoleProvision}); {@code identity} the age identity
 * an encrypted archive is decrypted with (null: none given); {@code jobs} pg_restore's parallel jobs (2 or more:
 * from a verified local copy of the archive, {@link ArchiveSpool}; 1: streamed).
 */
public record RestoreRequest(S3Location storage, BackupFolder folder, PgTarget target, boolean noOwner,
                             Path pgBinRoot, RestoreStrategy strategy, RestoreStep step, String sideDatabase,
                             String previousDatabase, RestoreSelection scope, VerifyMode verify,
                             Duration lockTimeout, RolesPolicy roles, AgeIdentity identity, int jobs) {
    /** How long an in-place restore's statements wait for a lock before the restore fails, unchanged. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

    /** The original restore: everything into a new database. */
    public RestoreRequest(S3Location storage, BackupFolder folder, PgTarget target, boolean noOwner, Path pgBinRoot) {
        this(storage, folder, target, noOwner, pgBinRoot, RestoreStrategy.NEW_DATABASE, RestoreStep.ALL, null, null,
                RestoreSelection.whole(), VerifyMode.ROW_COUNTS, DEFAULT_LOCK_TIMEOUT, RolesPolicy.SKIP, null, 1);
    }
}
