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
