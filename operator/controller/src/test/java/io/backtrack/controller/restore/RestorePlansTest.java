package io.backtrack.controller.restore;

import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.database.DatabaseTls;
import io.backtrack.api.database.SslMode;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.api.tls.CaSecret;
import io.backtrack.controller.TestCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@EnableKubernetesMockClient(crud = true)
class RestorePlansTest {
    private static final DatabaseTls BACKUP_TLS = new DatabaseTls(SslMode.verifyFull, new CaSecret("orders-db-ca", null), null);

    KubernetesClient client;

    @BeforeEach
    void backup() {
        new TestCluster(client, Instant.parse("2026-11-22T03:15:00Z"));
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName("orders-nightly").withNamespace(TestCluster.NS).build());
        b.setSpec(new BackupSpec(null, new DatabaseSpec(null, "orders-db.shop.svc", null, "orders",
                new DatabaseCredentials("orders-db", null, null), BACKUP_TLS),
                new StorageSpec(new S3Storage("https://s3.eu-central-1.amazonaws.com", "db-backups", null, "prod", null, null)), null,
                null, null, DeletionPolicy.Retain, null, null, null));
        client.resource(b).create();
        b.setStatus(new BackupStatus(BackupPhase.Completed, "done", null, null, 1.0, "job",
                new ArchiveStatus("db-backups", "prod/shop/orders-nightly", "k", "m", 1L, "1 B", "s", "s", "zstd", "custom"),
                null, null, null, 1L, null));
        client.resource(b).updateStatus();
    }

    @Test
    void theBackupsTlsGoesWithItsOwnHostOnlyAndATargetsOwnTlsWins() {
        assertThat(plan(null).tls()).as("the backup's own server").isEqualTo(BACKUP_TLS);
        assertThat(plan(new RestoreTarget(null, null, "orders_copy", null)).tls()).as("another database there")
                .isEqualTo(BACKUP_TLS);
        assertThat(plan(new RestoreTarget("scratch-db.ops.svc", null, null, null)).tls())
                .as("another server: the backup's CA says nothing about it").isNull();
        DatabaseTls own = new DatabaseTls(SslMode.require, null, null);
        assertThat(plan(new RestoreTarget("scratch-db.ops.svc", null, null, null, own)).tls()).isEqualTo(own);
        assertThat(plan(new RestoreTarget("scratch-db.ops.svc", null, null, null, own)).storage().credentialsSecret())
                .as("no static key: the Pod's cloud identity").isNull();
    }

    @Test
    void aDiscoveredBackupIsRestoredFromItsFolderToTheServerTheTargetNames() {
        client.resources(io.backtrack.api.storage.BackupStorage.class).resource(
                io.backtrack.controller.storage.TestStorages.storage("old-cluster", "db-backups", "prod", null)).create();
        Backup found = new Backup();
        found.setMetadata(new ObjectMetaBuilder().withName("orders-1").withNamespace(TestCluster.NS).build());
        found.setSpec(new BackupSpec("nightly", null, null, new io.backtrack.api.storage.StorageRef("old-cluster"),
                null, null, DeletionPolicy.Retain, null, null, null, null, io.backtrack.api.backup.BackupOrigin.Discovered));
        client.resource(found).create();
        found.setStatus(new BackupStatus(BackupPhase.Completed, "found", null, null, 1.0, null,
                new ArchiveStatus("db-backups", "prod/shop/orders-1", "k", "m", 1L, "1 B", "s", "s", "zstd", "custom"),
                new io.backtrack.api.backup.DatabaseStatus("orders", "16.4", 3, 10L, null, null, null), null, null, 1L,
                null));
        client.resource(found).updateStatus();

        RestorePlans.Resolution noServer = resolve("orders-1", null);
        assertThat(noServer.problem().reason().name()).isEqualTo("InvalidSpec");
        assertThat(noServer.problem().message()).contains("origin Discovered", "target.host",
                "target.credentialsSecret");

        RestorePlan plan = resolve("orders-1", new RestoreTarget("orders-db.dr.svc", null, null,
                new DatabaseCredentials("orders-db", null, null))).plan();
        assertThat(plan.key()).isEqualTo("prod/shop/orders-1");
        assertThat(plan.storage().bucket()).isEqualTo("db-backups");
        assertThat(plan.host()).isEqualTo("orders-db.dr.svc");
        assertThat(plan.port()).isEqualTo(5432);
        assertThat(plan.database()).as("the backed-up database's name").isEqualTo("orders");
        assertThat(plan.credentials().name()).isEqualTo("orders-db");

        // Found encrypted: its status names the recipients, so the Restore asks for the identity before any Job.
        found.getMetadata().setName("sealed-1");
        found.getMetadata().setResourceVersion(null);
        client.resource(found).create();
        found.setStatus(new BackupStatus(BackupPhase.Completed, "found", null, null, 1.0, null,
                new ArchiveStatus("db-backups", "prod/shop/sealed-1", "prod/shop/sealed-1/archive.pgdump.zst.age", "m",
                        1L, "1 B", "s", "s", "zstd", "custom", "age",
                        List.of("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq")),
                null, null, null, 1L, null));
        client.resource(found).updateStatus();
        RestorePlans.Resolution sealed = resolve("sealed-1", new RestoreTarget("orders-db.dr.svc", null, null,
                new DatabaseCredentials("orders-db", null, null)));
        assertThat(sealed.problem().reason().name()).isEqualTo("DecryptionFailed");
        assertThat(sealed.problem().message()).contains("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgp");
    }

    private RestorePlans.Resolution resolve(String backupName, RestoreTarget target) {
        Restore r = new Restore();
        r.setMetadata(new ObjectMetaBuilder().withName("dr").withNamespace(TestCluster.NS).withUid("u").build());
        r.setSpec(new RestoreSpec(backupName, null, target, null, null, null, null, null, null, null, null, null, null));
        return new RestorePlans(client, new io.backtrack.controller.drill.ServerIdentity(
                io.backtrack.controller.drill.ServerIdentity.DNS)).resolve(r);
    }

    private RestorePlan plan(RestoreTarget target) {
        Restore r = new Restore();
        r.setMetadata(new ObjectMetaBuilder().withName("rollback").withNamespace(TestCluster.NS).withUid("u").build());
        r.setSpec(new RestoreSpec("orders-nightly", null, target, null, null, null, null, null, null, null, null, null, null));
        RestorePlans.Resolution resolution = new RestorePlans(client, new io.backtrack.controller.drill.ServerIdentity(
                io.backtrack.controller.drill.ServerIdentity.DNS)).resolve(r);
        assertThat(resolution.problem()).isNull();
        return resolution.plan();
    }
}
