package io.backtrack.controller.restore;

import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.database.DatabaseTls;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.storage.S3Storage;

/**
 * A Restore with its source and target resolved: from the named Backup, or from storage plus the target.
 *
 * @param backupName the Backup being restored, or null for a restore straight from storage
 * @param database   the target database; null until the check step read it from the manifest (storage source
 *                   without target.database)
 * @param tls        TLS to the target, or null for the agent's default (prefer)
 * @param encryption the client-side encryption the source's location asks for (the restored Backup's own, else its
 *                   BackupStorage's; null: none), which the safety backup written there applies too
 */
public record RestorePlan(String backupName, S3Storage storage, String key, String host, int port, String database,
                          DatabaseCredentials credentials, DatabaseTls tls, RestoreSpec spec,
                          EncryptionSpec encryption) {

    /** A plan whose location asks for no encryption. */
    public RestorePlan(String backupName, S3Storage storage, String key, String host, int port, String database,
                       DatabaseCredentials credentials, DatabaseTls tls, RestoreSpec spec) {
        this(backupName, storage, key, host, port, database, credentials, tls, spec, null);
    }

    public RestorePlan withDatabase(String name) {
        return new RestorePlan(backupName, storage, key, host, port, name, credentials, tls, spec, encryption);
    }

    public String source() {
        return "s3://" + storage.bucket() + "/" + key;
    }

    /** The target's address as Backups name theirs ({@link DatabaseSpec#address}), so each finds the other. */
    public String target() {
        return database == null ? host + ":" + port + "/(database from the manifest)"
                : DatabaseSpec.address(host, port, database);
    }
}
