package io.backtrack.controller.schedule;

import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleSpec;
import io.backtrack.api.schedule.BackupTemplate;
import io.backtrack.api.schedule.BackupTemplateMetadata;
import io.backtrack.api.schedule.RetentionPolicy;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.Map;

/** BackupSchedules for unit tests. */
final class TestSchedules {
    private TestSchedules() {
    }

    static BackupSpec backupSpec(DeletionPolicy policy) {
        return new BackupSpec(null,
                new DatabaseSpec(null, "orders-db.shop.svc", null, "orders", new DatabaseCredentials("orders-db", null, null)),
                new StorageSpec(new S3Storage("http://minio.storage.svc:9000", "db-backups", null, "prod", true,
                        new S3Credentials("s3-creds", null, null))),
                null, null, policy, null, null, null);
    }

    static BackupSchedule schedule(String cron, String zone, RetentionPolicy retention, BackupSpec template) {
        BackupSchedule s = new BackupSchedule();
        s.setMetadata(new ObjectMetaBuilder().withName("orders-nightly").withNamespace("shop").withUid("schedule-uid")
                .withGeneration(1L)
                .withLabels(Map.of("app.kubernetes.io/instance", "shop-prod", "kustomize.toolkit.fluxcd.io/name", "shop"))
                .withAnnotations(Map.of("argocd.argoproj.io/tracking-id", "shop:backtrack.io/BackupSchedule:shop/orders-nightly"))
                .build());
        s.setSpec(new BackupScheduleSpec(cron, zone, null, null, null,
                new BackupTemplate(new BackupTemplateMetadata(Map.of("team", "orders"), Map.of("note", "nightly")), template),
                retention, null));
        return s;
    }

    static BackupSchedule schedule() {
        return schedule("0 2 * * *", "Europe/Berlin", null, backupSpec(null));
    }
}
