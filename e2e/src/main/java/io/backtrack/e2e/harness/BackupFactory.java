package io.backtrack.e2e.harness;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupScope;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.job.JobSettings;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.List;

/** Backup resources pointing at the environment's PostgreSQL and S3 server, changed one piece at a time. */
public record BackupFactory(String host, int port, String database, String endpoint, String bucket,
                            String dbSecret, String s3Secret, Compression compression, BackupScope scope,
                            DeletionPolicy deletionPolicy, JobSettings job) {

    public static BackupFactory of(BacktrackEnvironment env, String database, String bucket) {
        return new BackupFactory(env.postgres().host(), env.postgres().port(), database, env.s3().endpoint(), bucket,
                BacktrackEnvironment.DB_SECRET, BacktrackEnvironment.S3_SECRET, null, null, null,
                new JobSettings(120L, 0, null, null, null));
    }

    public BackupFactory withDatabase(String host, int port, String database) {
        return new BackupFactory(host, port, database, endpoint, bucket, dbSecret, s3Secret, compression, scope, deletionPolicy, job);
    }

    public BackupFactory withStorage(String endpoint, String bucket) {
        return new BackupFactory(host, port, database, endpoint, bucket, dbSecret, s3Secret, compression, scope, deletionPolicy, job);
    }

    public BackupFactory withSecrets(String dbSecret, String s3Secret) {
        return new BackupFactory(host, port, database, endpoint, bucket, dbSecret, s3Secret, compression, scope, deletionPolicy, job);
    }

    public BackupFactory withCompression(Compression compression) {
        return new BackupFactory(host, port, database, endpoint, bucket, dbSecret, s3Secret, compression, scope, deletionPolicy, job);
    }

    public BackupFactory withScope(List<String> tables, boolean schemaOnly) {
        return new BackupFactory(host, port, database, endpoint, bucket, dbSecret, s3Secret, compression,
                new BackupScope(tables, null, null, schemaOnly), deletionPolicy, job);
    }

    public BackupFactory withDeletionPolicy(DeletionPolicy policy) {
        return new BackupFactory(host, port, database, endpoint, bucket, dbSecret, s3Secret, compression, scope, policy, job);
    }

    public BackupFactory withJob(JobSettings settings) {
        return new BackupFactory(host, port, database, endpoint, bucket, dbSecret, s3Secret, compression, scope, deletionPolicy, settings);
    }

    public Backup build(String namespace, String name) {
        Backup backup = new Backup();
        backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        backup.setSpec(new BackupSpec("e2e " + name,
                new DatabaseSpec(null, host, port, database, new DatabaseCredentials(dbSecret, null, null)),
                new StorageSpec(new S3Storage(endpoint, bucket, null, "e2e", true, new S3Credentials(s3Secret, null, null))),
                compression, scope, deletionPolicy, null, job, null));
        return backup;
    }
}
