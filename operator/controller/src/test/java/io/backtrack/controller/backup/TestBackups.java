package io.backtrack.controller.backup;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupScope;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.CompressionAlgorithm;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.controller.TestAgentConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;


/** Backups and settings for unit tests. */
final class TestBackups {
    private TestBackups() {
    }

    static BackupSpec spec(Compression compression, BackupScope scope, String ttl) {
        return new BackupSpec("before v42",
                new DatabaseSpec(null, "orders-db.shop.svc", null, "orders", new DatabaseCredentials("orders-db", null, null)),
                new StorageSpec(new S3Storage("http://minio.storage.svc:9000", "db-backups", null, "prod", true,
                        new S3Credentials("s3-creds", null, null))),
                compression, scope, DeletionPolicy.Retain, ttl, null, null);
    }

    static Backup backup(String name, BackupSpec spec) {
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withUid("uid-1").withGeneration(1L).build());
        b.setSpec(spec);
        return b;
    }

    static Backup backup() {
        return backup("orders-before-migration", spec(new Compression(CompressionAlgorithm.zstd, 5),
                new BackupScope(java.util.List.of("public.orders"), null, null, null), "720h"));
    }
}
