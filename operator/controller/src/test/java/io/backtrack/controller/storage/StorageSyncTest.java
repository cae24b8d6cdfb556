package io.backtrack.controller.storage;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupOrigin;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageSpec;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageRef;
import io.backtrack.api.storage.StorageSpec;
import io.backtrack.api.storage.StorageSync;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.ProbeResult;
import io.backtrack.contract.result.ProbeResult.FoundBackup;
import io.backtrack.contract.result.ProbeResult.SkippedFolder;
import io.backtrack.contract.result.ResultLine;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A BackupStorage's sync against an in-memory API server: the probe Jobs discover, their results are finished by
 * hand, and the Backups they found are created once each, never over one that exists.
 */
@EnableKubernetesMockClient(crud = true)
class StorageSyncTest {
    private static final Instant NOW = Instant.parse("2026-11-22T02:00:00Z");
    private static final String BUCKET = "db-backups";
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    KubernetesClient client;
    private TestCluster cluster;
    private BackupStorageReconciler reconciler;

    @BeforeEach
    void operator() {
        cluster = new TestCluster(client, NOW).withSecrets();
        reconciler = new BackupStorageReconciler(client, cluster.events, TestConfig.INSTANCE, cluster.clock);
    }

    private UpdateControl<BackupStorage> reconcile() {
        BackupStorage storage = current();
        UpdateControl<BackupStorage> control = reconciler.reconcile(storage, new TestContext<>(client, storage)
                .withReducedJobs());
        control.getResource().ifPresent(cluster::writeStatus);
        return control;
    }

    private BackupStorage current() {
        return client.resources(BackupStorage.class).inNamespace(TestCluster.NS).withName("old-cluster").get();
    }

    private static BackupStorage syncing(String prefix) {
        BackupStorage storage = TestStorages.storage("old-cluster", BUCKET, prefix, null);
        storage.setSpec(new BackupStorageSpec(storage.getSpec().s3(), null, null, new StorageSync("1h")));
        return storage;
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems();
    }

    private List<String> args(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    }

    private List<String> known(Job job) {
        List<String> args = args(job);
        List<String> known = new ArrayList<>();
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("--known")) {
                known.addAll(Arrays.asList(args.get(i + 1).split(",")));
            }
        }
        return known;
    }

    private Backup backup(String name) {
        return client.resources(Backup.class).inNamespace(TestCluster.NS).withName(name).get();
    }

    private List<Backup> backups() {
        return client.resources(Backup.class).inNamespace(TestCluster.NS).list().getItems();
    }

    static FoundBackup found(String key, String namespace, String backup, String schedule) {
        return new FoundBackup(key, "archive-20261120T020000Z-1a2b3c4d.pgdump.zst", SHA, 48230L, "zstd", null, null,
                "custom", "orders", namespace, backup, schedule, "nightly", "16.4", 12, 4321L, null,
                "2026-11-20T02:00:00Z", "2026-11-20T02:00:41Z");
    }

    private void finishProbe(List<FoundBackup> found, int remaining, List<SkippedFolder> skipped) {
        Job probe = jobs().get(0);
        cluster.finish(probe, true, 0, ResultLine.success(new ProbeResult(BUCKET, "prod", found.size(), 100L, 3,
                skipped.size(), skipped, found, remaining, 1.0)).toJson());
        cluster.clock.set(cluster.clock.instant().plusSeconds(5));
    }

    @Test
    void aFoundBackupBecomesOneRetainedDiscoveredBackupWithItsManifestsStatusAndASecondSyncImportsNothing() {
        cluster.create(syncing("prod"));
        reconcile();
        assertThat(jobs()).singleElement().satisfies(j -> assertThat(args(j)).contains("--discover")
                .doesNotContain("--known"));

        String lastProbe = jobs().get(0).getMetadata().getName();
        finishProbe(List.of(found("prod/shop/orders-1", "shop", "orders-1", "orders-nightly")), 0,
                List.of(new SkippedFolder("prod/shop/killed", SkippedFolder.NO_MANIFEST),
                        new SkippedFolder("prod/shop/garbled", SkippedFolder.MANIFEST_UNREADABLE)));
        UpdateControl<BackupStorage> synced = reconcile();

        Backup imported = backup("orders-1");
        assertThat(imported.getSpec().origin()).isEqualTo(BackupOrigin.Discovered);
        assertThat(imported.getSpec().deletionPolicy()).isEqualTo(DeletionPolicy.Retain);
        assertThat(imported.getSpec().database()).isNull();
        assertThat(imported.getSpec().storageRef().name()).isEqualTo("old-cluster");
        assertThat(imported.getMetadata().getOwnerReferences()).as("deleting the storage deletes no history")
                .isNullOrEmpty();
        assertThat(imported.getMetadata().getLabels())
                .containsEntry(BacktrackApi.STORAGE_LABEL, "old-cluster")
                .containsEntry(BacktrackApi.ORIGINAL_NAMESPACE_LABEL, "shop")
                .containsEntry(BacktrackApi.ORIGINAL_BACKUP_LABEL, "orders-1")
                .containsEntry(BacktrackApi.ORIGINAL_SCHEDULE_LABEL, "orders-nightly")
                .as("a schedule here of that name must not count, nor prune, history it did not make")
                .doesNotContainKey(BacktrackApi.SCHEDULE_LABEL);
        assertThat(imported.getMetadata().getAnnotations())
                .containsEntry(BacktrackApi.DISCOVERED_FROM_ANNOTATION, "s3://db-backups/prod/shop/orders-1")
                .doesNotContainKey(BacktrackApi.SCHEDULE_LABEL);
        BackupStatus status = imported.getStatus();
        assertThat(status.phase()).isEqualTo(BackupPhase.Completed);
        assertThat(status.jobName()).isNull();
        assertThat(status.expiresAt()).isNull();
        assertThat(status.completedAt()).isEqualTo("2026-11-20T02:00:41Z");
        assertThat(status.durationSeconds()).isEqualTo(41.0);
        assertThat(status.archive()).satisfies(a -> {
            assertThat(a.bucket()).isEqualTo(BUCKET);
            assertThat(a.key()).isEqualTo("prod/shop/orders-1");
            assertThat(a.archiveKey()).isEqualTo("prod/shop/orders-1/archive-20261120T020000Z-1a2b3c4d.pgdump.zst");
            assertThat(a.manifestKey()).isEqualTo("prod/shop/orders-1/manifest.json");
            assertThat(a.sha256()).isEqualTo(SHA);
            assertThat(a.sha256Short()).isEqualTo(SHA.substring(0, 12));
            assertThat(a.sizeBytes()).isEqualTo(48230L);
            assertThat(a.size()).isEqualTo("47.1 KiB");
        });
        assertThat(status.database().name()).isEqualTo("orders");
        assertThat(status.database().rows()).isEqualTo(4321L);
        assertThat(status.database().tables()).isEqualTo(12);
        assertThat(Conditions.find(status.conditions(), ConditionType.Ready).getStatus()).isEqualTo("True");
        assertThat(status.message()).contains("s3://db-backups/prod/shop/orders-1", "Backup shop/orders-1");

        BackupStorage after = current();
        assertThat(after.getStatus().imported()).isEqualTo(1);
        assertThat(after.getStatus().remaining()).isNull();
        assertThat(after.getStatus().lastSyncTime()).isNotNull();
        assertThat(after.getStatus().skippedCount()).isEqualTo(2);
        assertThat(after.getStatus().skipped()).extracting(s -> s.key() + "=" + s.reason())
                .containsExactly("prod/shop/killed=NoManifest", "prod/shop/garbled=ManifestUnreadable");
        assertThat(cluster.events.withReason("Imported")).singleElement().asString().contains("imported 1 backup(s)",
                "orders-1");
        assertThat(cluster.events.withReason("FoldersSkipped")).singleElement().asString()
                .contains("2 folder(s)", "prod/shop/killed (NoManifest)");
        assertThat(jobs()).as("all imported: the next search after sync.interval").isEmpty();
        assertThat(synced.getScheduleDelay()).contains(Duration.ofHours(1).toMillis());

        // A deleted probe Job the informer still shows a moment later: its result is not counted again.
        Job recorded = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder().withNewMetadata()
                .withName(lastProbe).withNamespace(TestCluster.NS)
                .withLabels(java.util.Map.of(ProbeJobs.GENERATION_LABEL, "1")).endMetadata().build();
        client.resource(recorded).create();
        recorded = client.resource(recorded).get();
        recorded.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().addNewCondition()
                .withType("Complete").withStatus("True").endCondition().build());
        client.resource(recorded).updateStatus();
        reconcile();
        assertThat(current().getStatus().imported()).isEqualTo(1);
        assertThat(current().getStatus().lastSyncTime()).isEqualTo(after.getStatus().lastSyncTime());
        assertThat(jobs()).isEmpty();

        String resourceVersion = imported.getMetadata().getResourceVersion();
        cluster.clock.set(cluster.clock.instant().plus(Duration.ofHours(1)));
        reconcile();
        assertThat(known(jobs().get(0))).as("the folder has a Backup now")
                .contains(new BackupFolder("prod/shop/orders-1").fingerprint());
        // An agent that reported it again anyway (or a cache that lagged): still one Backup, unchanged.
        finishProbe(List.of(found("prod/shop/orders-1", "shop", "orders-1", "orders-nightly")), 0,
                List.of(new SkippedFolder("prod/shop/killed", SkippedFolder.NO_MANIFEST),
                        new SkippedFolder("prod/shop/garbled", SkippedFolder.MANIFEST_UNREADABLE)));
        reconcile();
        assertThat(backups()).singleElement().satisfies(b -> assertThat(b.getMetadata().getResourceVersion())
                .isEqualTo(resourceVersion));
        assertThat(current().getStatus().imported()).isZero();
        assertThat(cluster.events.withReason("Imported")).hasSize(1);
        assertThat(cluster.events.withReason("FoldersSkipped")).as("said again only when the count changes")
                .hasSize(1);
    }

    @Test
    void aNameTakenByTheBackupOfAnotherFolderGivesTheImportAHashedNameAndLeavesThatBackupAlone() {
        Backup local = new Backup();
        local.setMetadata(new ObjectMetaBuilder().withName("orders-1").withNamespace(TestCluster.NS).build());
        local.setSpec(new BackupSpec(null, new DatabaseSpec(null, "orders-db.shop.svc", null, "orders",
                new DatabaseCredentials(TestCluster.DB_SECRET, null, null)), new StorageSpec(new S3Storage(
                "https://s3.eu-central-1.example", BUCKET, null, "new", true, new S3Credentials(TestCluster.S3_SECRET,
                null, null))), null, null, null, DeletionPolicy.Delete, null, null, null));
        local.setStatus(new BackupStatus(BackupPhase.Completed, "done", null, "2026-11-22T01:00:00Z", 1.0, "job-1",
                new ArchiveStatus(BUCKET, "new/shop/orders-1", "new/shop/orders-1/archive.pgdump.zst",
                        "new/shop/orders-1/manifest.json", 1L, "1 B", SHA, SHA.substring(0, 12), "zstd", "custom"),
                null, null, null, 1L, null));
        Backup before = cluster.create(local);
        cluster.create(syncing("prod"));
        reconcile();

        finishProbe(List.of(found("prod/shop/orders-1", "shop", "orders-1", null)), 0, List.of());
        reconcile();

        assertThat(backup("orders-1")).as("never changed").satisfies(b -> {
            assertThat(b.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
            assertThat(b.getSpec()).isEqualTo(before.getSpec());
            assertThat(b.getStatus()).isEqualTo(before.getStatus());
        });
        String hashed = DiscoveredBackups.hashedName(found("prod/shop/orders-1", "shop", "orders-1", null), BUCKET);
        assertThat(hashed).matches("orders-1-[0-9a-f]{8}");
        assertThat(backup(hashed).getSpec().discovered()).isTrue();
        assertThat(backup(hashed).getStatus().archive().key()).isEqualTo("prod/shop/orders-1");
        assertThat(DiscoveredBackups.hashedName(found("prod/shop/orders-1", "shop", "orders-1", null), BUCKET))
                .as("the same folder, the same name: a later sync finds it there").isEqualTo(hashed);

        cluster.clock.set(cluster.clock.instant().plus(Duration.ofHours(1)));
        reconcile();
        finishProbe(List.of(found("prod/shop/orders-1", "shop", "orders-1", null)), 0, List.of());
        reconcile();
        assertThat(backups()).as("the local one and the import, once").hasSize(2);
    }

    @Test
    void aBackupCreatedByASyncThatStoppedBeforeWritingItsStatusIsCompletedNotDuplicated() {
        Backup half = new Backup();
        half.setMetadata(new ObjectMetaBuilder().withName("orders-1").withNamespace(TestCluster.NS)
                .addToAnnotations(BacktrackApi.DISCOVERED_FROM_ANNOTATION, "s3://db-backups/prod/shop/orders-1")
                .build());
        half.setSpec(new BackupSpec("nightly", null, null, new StorageRef("old-cluster"), null, null,
                DeletionPolicy.Retain, null, null, null, null, BackupOrigin.Discovered));
        client.resource(half).create();
        cluster.create(syncing("prod"));
        reconcile();
        assertThat(known(jobs().get(0))).as("a discovered Backup without its status is looked for again")
                .doesNotContain(new BackupFolder("prod/shop/orders-1").fingerprint());

        finishProbe(List.of(found("prod/shop/orders-1", "shop", "orders-1", null)), 0, List.of());
        reconcile();

        assertThat(backups()).singleElement().satisfies(b -> {
            assertThat(b.getMetadata().getName()).isEqualTo("orders-1");
            assertThat(b.getStatus().phase()).isEqualTo(BackupPhase.Completed);
            assertThat(b.getStatus().archive().key()).isEqualTo("prod/shop/orders-1");
        });
        assertThat(current().getStatus().imported()).as("completed, not created").isZero();
    }

    @Test
    void whileMoreRemainTheNextProbeStartsAtOnceKnowingWhatWasJustImported() {
        cluster.create(syncing("prod"));
        reconcile();

        finishProbe(List.of(found("prod/shop/a", "shop", "a", null), found("prod/shop/b", "shop", "b", null)), 3,
                List.of());
        UpdateControl<BackupStorage> first = reconcile();

        assertThat(backups()).hasSize(2);
        assertThat(jobs()).as("the next probe at once, not after sync.interval").singleElement()
                .satisfies(j -> assertThat(known(j)).contains(new BackupFolder("prod/shop/a").fingerprint(),
                        new BackupFolder("prod/shop/b").fingerprint()));
        assertThat(first.getScheduleDelay()).isEmpty();
        assertThat(current().getStatus().remaining()).isEqualTo(3);
        assertThat(current().getStatus().lastSyncTime()).as("not complete yet").isNull();
        assertThat(current().getStatus().imported()).isEqualTo(2);

        finishProbe(Stream.of("c", "d", "e").map(n -> found("prod/shop/" + n, "shop", n, null)).toList(), 0,
                List.of());
        UpdateControl<BackupStorage> last = reconcile();

        assertThat(backups()).hasSize(5);
        assertThat(current().getStatus().imported()).as("the whole sync's imports").isEqualTo(5);
        assertThat(current().getStatus().remaining()).isNull();
        assertThat(current().getStatus().lastSyncTime()).isNotNull();
        assertThat(jobs()).isEmpty();
        assertThat(last.getScheduleDelay()).contains(Duration.ofHours(1).toMillis());
    }

    @Test
    void aProbeThatCarriedNothingDoesNotAskAgainAtOnce() {
        cluster.create(syncing("prod"));
        reconcile();

        finishProbe(List.of(), 4, List.of());
        UpdateControl<BackupStorage> control = reconcile();

        assertThat(jobs()).isEmpty();
        assertThat(control.getScheduleDelay()).contains(Duration.ofHours(1).toMillis());
    }

    @Test
    void aProbeOfAnOlderSpecImportsNothing() {
        cluster.create(syncing("prod"));
        reconcile();
        BackupStorage changed = current();
        changed.getMetadata().setGeneration(2L);
        changed.setSpec(new BackupStorageSpec(new S3Storage("https://s3.eu-central-1.example", "other-bucket", null,
                "prod", true, new S3Credentials(TestCluster.S3_SECRET, null, null)), null, null, new StorageSync("1h")));
        client.resource(changed).update();

        finishProbe(List.of(found("prod/shop/orders-1", "shop", "orders-1", null)), 0, List.of());
        reconcile();

        assertThat(backups()).as("found in db-backups, which the storage no longer names").isEmpty();
    }

    @Test
    void theKnownFoldersAreThoseOfEveryBackupInTheBucketUnderThePrefix() {
        S3Storage bucket = new S3Storage("https://s3.example", BUCKET, null, "prod", true, null);
        S3Storage other = new S3Storage("https://s3.example", "other", null, "prod", true, null);
        Backup done = backup("team", "done", bucket, null, "prod/team/done");
        Backup pending = backup("team", "pending", bucket, null, null);
        Backup elsewhere = backup("team", "elsewhere", other, null, null);
        Backup outside = backup("team", "outside", new S3Storage("https://s3.example", BUCKET, null, "dev", true,
                null), null, null);
        Backup discoveredHalf = backup("dr", "half", null, BackupOrigin.Discovered, null);
        Backup discoveredDone = backup("dr", "whole", null, BackupOrigin.Discovered, "prod/shop/whole");

        var known = KnownFolders.fingerprints(BUCKET, "/prod/", Stream.of(done, pending, elsewhere, outside,
                discoveredHalf, discoveredDone), b -> java.util.Optional.ofNullable(
                b.getSpec().storage() == null ? null : b.getSpec().storage().s3()));

        assertThat(known).containsExactlyInAnyOrder(new BackupFolder("prod/team/done").fingerprint(),
                new BackupFolder("prod/team/pending").fingerprint(), new BackupFolder("prod/shop/whole").fingerprint());
    }

    private static Backup backup(String namespace, String name, S3Storage s3, BackupOrigin origin, String doneKey) {
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        b.setSpec(new BackupSpec(null, null, s3 == null ? null : new StorageSpec(s3),
                s3 == null ? new StorageRef("old-cluster") : null, null, null, null, null, null, null, null, origin));
        if (doneKey != null) {
            b.setStatus(new BackupStatus(BackupPhase.Completed, null, null, null, null, null,
                    new ArchiveStatus(BUCKET, doneKey, doneKey + "/archive.pgdump.zst", doneKey + "/manifest.json", 1L,
                            "1 B", SHA, SHA.substring(0, 12), "zstd", "custom"), null, null, null, 1L, null));
        }
        return b;
    }

    @Test
    void namesAreTheOriginalOnesMadeValid() {
        assertThat(DiscoveredBackups.name(found("prod/shop/orders-1", "shop", "orders-1", null)))
                .isEqualTo("orders-1");
        assertThat(DiscoveredBackups.name(found("prod/cli/Before_Upgrade!", null, null, null)))
                .as("a CLI backup: its folder's name").isEqualTo("before-upgrade");
        assertThat(DiscoveredBackups.name(found("prod/cli/___", null, null, null))).isEqualTo("discovered");
        assertThat(DiscoveredBackups.hashedName(found("prod/shop/" + "x".repeat(300), null, null, null), BUCKET))
                .hasSizeLessThanOrEqualTo(253).matches("x+-[0-9a-f]{8}");
    }
}
