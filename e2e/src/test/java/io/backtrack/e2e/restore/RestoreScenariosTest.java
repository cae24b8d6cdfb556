package io.backtrack.e2e.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.job.JobSettings;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.PodsStay;
import io.backtrack.e2e.harness.RestoreFactory;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.SampleData;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minio.RemoveObjectArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Restores through the operator: each strategy brings back exactly the backed-up content after the data was
 * changed, and every bad input fails before anything is touched.
 */
class RestoreScenariosTest {
    static final String NS = "restores";
    static final String BUCKET = "db-backups";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    static BacktrackEnvironment env;
    private final List<PodsStay> stays = new ArrayList<>();

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, null);
    }

    /** A database with sample data and a Completed Backup of it; returns the content at backup time. */
    private static DatabaseFingerprint databaseWithBackup(String db, String backup) {
        env.postgres().createDatabase(db);
        SampleData.load(env.postgres(), db);
        DatabaseFingerprint atBackup = DatabaseFingerprint.of(env.postgres(), db);
        env.client().resource(BackupFactory.of(env, db, BUCKET).build(NS, backup)).create();
        Backup done = env.awaitBackup(NS, backup, b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(done.getStatus().phase()).as("backup %s: %s", backup, done.getStatus()).isEqualTo(BackupPhase.Completed);
        return atBackup;
    }

    /** After the backup, the data moves on: rows deleted, a row changed, a table dropped. */
    private static DatabaseFingerprint changeData(String db) {
        env.postgres().execute(db,
                "DELETE FROM public.order_items WHERE order_id % 3 = 0",
                "UPDATE public.customers SET name = 'changed' WHERE id = 1",
                "DROP TABLE billing.refunds");
        return DatabaseFingerprint.of(env.postgres(), db);
    }

    @Test
    void swapBringsBackTheBackedUpContentKeepsThePreviousDatabaseAndResumesTheWorkloads() {
        DatabaseFingerprint atBackup = databaseWithBackup("orders_swap", "orders-swap");
        DatabaseFingerprint changed = changeData("orders_swap");
        deployment("orders-api", 3);

        Restore done = applyAndAwait(RestoreFactory.ofBackup("orders-swap").quiesceDeployments("orders-api").build(NS, "swap"));

        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_swap")).isEqualTo(atBackup);
        assertThat(done.getStatus().archiveVerified()).isTrue();
        assertThat(done.getStatus().verification().mismatches()).isNullOrEmpty();
        assertThat(done.getStatus().verification().rowsRestored()).isEqualTo(atBackup.totalRows());
        assertThat(done.getStatus().durationSeconds()).isPositive();
        assertThat(done.getStatus().jobName()).as("no step Job is running once the Restore has ended").isNull();
        String previous = done.getStatus().previousDatabase();
        assertThat(previous).startsWith("orders_swap_before_restore_");
        assertThat(DatabaseFingerprint.of(env.postgres(), previous)).isEqualTo(changed);
        assertThat(env.backup(NS, done.getStatus().safetyBackupName()).getStatus().phase()).isEqualTo(BackupPhase.Completed);
        assertThat(done.getStatus().quiesced()).singleElement().satisfies(w -> assertThat(w.replicas()).isEqualTo(3));
        Deployment api = env.client().apps().deployments().inNamespace(NS).withName("orders-api").get();
        assertThat(api.getSpec().getReplicas()).isEqualTo(3);
        assertThat(api.getMetadata().getAnnotations()).doesNotContainKey(BacktrackApi.QUIESCED_BY_ANNOTATION);
        String[] steps = {"Checking", "ArchiveVerified", "Quiescing", "SafetyBackup", "Restoring", "Verifying", "Resumed",
                "Completed"};
        assertThat(reasons("swap", steps)).containsSubsequence(steps);
        assertThat(env.backup(NS, "orders-swap").getMetadata().getFinalizers()).doesNotContain(BacktrackApi.RESTORE_PROTECTION_FINALIZER);

        // The restore itself can be undone by renaming back.
        env.postgres().execute("postgres",
                "ALTER DATABASE orders_swap RENAME TO orders_swap_undone",
                "ALTER DATABASE " + previous + " RENAME TO orders_swap");
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_swap")).isEqualTo(changed);
    }

    @Test
    void aSwapWithParallelJobsRestoresFromACheckedLocalCopy() {
        DatabaseFingerprint atBackup = databaseWithBackup("orders_jobs", "orders-jobs");
        DatabaseFingerprint changed = changeData("orders_jobs");

        Restore done = applyAndAwait(RestoreFactory.ofBackup("orders-jobs").safetyBackup(false).parallelJobs(2)
                .build(NS, "parallel"));

        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_jobs")).isEqualTo(atBackup);
        assertThat(DatabaseFingerprint.of(env.postgres(), done.getStatus().previousDatabase())).isEqualTo(changed);
        assertThat(done.getStatus().verification().mismatches()).isNullOrEmpty();
        for (String step : List.of("check", "restore")) {
            assertThat(stepJob("parallel", step).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                    .as(step).containsSubsequence("--jobs", "2");
        }
    }

    @Test
    void inPlaceBringsBackTheBackedUpContent() {
        DatabaseFingerprint atBackup = databaseWithBackup("orders_inplace", "orders-inplace");
        changeData("orders_inplace");
        Restore done = applyAndAwait(RestoreFactory.ofBackup("orders-inplace").strategy(RestoreStrategy.inPlace).build(NS, "inplace"));
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_inplace")).isEqualTo(atBackup);
        assertThat(done.getStatus().previousDatabase()).isNull();
        assertThat(done.getStatus().safetyBackupName()).isNotNull();
    }

    @Test
    void newDatabaseRestoresBesideTheLiveOneWithoutASafetyBackup() {
        DatabaseFingerprint atBackup = databaseWithBackup("orders_new", "orders-new");
        DatabaseFingerprint changed = changeData("orders_new");
        Restore done = applyAndAwait(RestoreFactory.ofBackup("orders-new").strategy(RestoreStrategy.newDatabase)
                .target(env, "orders_new_copy", BacktrackEnvironment.DB_SECRET).build(NS, "new-db"));
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_new_copy")).isEqualTo(atBackup);
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_new")).isEqualTo(changed);
        assertThat(done.getStatus().safetyBackupName()).isNull();
    }

    @Test
    void restoreFromStorageAloneNeedsNoBackupResource() {
        DatabaseFingerprint atBackup = databaseWithBackup("orders_dr", "orders-dr");
        String key = env.backup(NS, "orders-dr").getStatus().archive().key();
        Restore done = applyAndAwait(RestoreFactory.ofStorage(env, BUCKET, key).strategy(RestoreStrategy.newDatabase)
                .target(env, "orders_dr_recovered", BacktrackEnvironment.DB_SECRET).build(NS, "from-storage"));
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_dr_recovered")).isEqualTo(atBackup);
    }

    @Test
    void aCorruptArchiveIsRefusedBeforeAnythingIsTouched() {
        databaseWithBackup("orders_corrupt", "orders-corrupt");
        DatabaseFingerprint changed = changeData("orders_corrupt");
        deployment("corrupt-api", 2);
        var archive = env.backup(NS, "orders-corrupt").getStatus().archive();
        env.s3().corruptOneByte(BUCKET, archive.archiveKey());

        Restore done = applyAndAwait(RestoreFactory.ofBackup("orders-corrupt").strategy(RestoreStrategy.inPlace)
                .quiesceDeployments("corrupt-api").build(NS, "corrupt"));

        assertFailed(done, "ArchiveCorrupt", "");
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_corrupt")).isEqualTo(changed);
        assertThat(done.getStatus().safetyBackupName()).isNull();
        assertThat(env.client().apps().deployments().inNamespace(NS).withName("corrupt-api").get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(env.backup(NS, "orders-corrupt").getMetadata().getFinalizers()).doesNotContain(BacktrackApi.RESTORE_PROTECTION_FINALIZER);
    }

    @Test
    void aMissingManifestMeansThereIsNoBackupThere() {
        databaseWithBackup("orders_nomanifest", "orders-nomanifest");
        var archive = env.backup(NS, "orders-nomanifest").getStatus().archive();
        try {
            env.s3().client().removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object(archive.manifestKey()).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertFailed(applyAndAwait(RestoreFactory.ofBackup("orders-nomanifest").build(NS, "no-manifest")), "ArchiveNotFound", "manifest");
    }

    @Test
    void aServerOlderThanTheArchiveIsRefused() {
        databaseWithBackup("orders_version", "orders-version");
        var archive = env.backup(NS, "orders-version").getStatus().archive();
        String manifest = new String(env.s3().readObject(BUCKET, archive.manifestKey()), StandardCharsets.UTF_8)
                .replaceFirst("\"serverVersion\"\\s*:\\s*\"[^\"]*\"", "\"serverVersion\":\"99.1\"");
        env.s3().writeObject(BUCKET, "future/orders-version/manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        Restore done = applyAndAwait(RestoreFactory.ofStorage(env, BUCKET, "future/orders-version")
                .target(env, "orders_version", BacktrackEnvironment.DB_SECRET).build(NS, "too-old"));
        assertFailed(done, "RestoreFailed", "99.1");
    }

    @Test
    void anUnknownBackupIsNamed() {
        assertFailed(applyAndAwait(RestoreFactory.ofBackup("no-such-backup").build(NS, "unknown-backup")),
                "BackupNotFound", "Backup restores/no-such-backup does not exist");
    }

    @Test
    void aFailedBackupCannotBeRestored() {
        env.client().resource(BackupFactory.of(env, "shop", "no-such-bucket").build(NS, "failed-backup")).create();
        env.awaitBackup(NS, "failed-backup", b -> b.getStatus() != null && b.getStatus().phase() == BackupPhase.Failed, TIMEOUT);
        assertFailed(applyAndAwait(RestoreFactory.ofBackup("failed-backup").build(NS, "of-failed")), "BackupNotCompleted", "failed");
    }

    @Test
    void bothOrNeitherSourceIsRefusedAtApply() {
        // The CRD's CEL rule refuses both before the operator sees them (the operator's own check is unit-tested).
        for (Restore restore : List.of(RestoreFactory.ofBackup(null).build(NS, "neither"),
                RestoreFactory.ofBackup("x").both(env, BUCKET, "a/b").build(NS, "both"))) {
            assertThatThrownBy(() -> env.client().resource(restore).create()).isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("set exactly one of backupName (a Backup in this namespace) and source");
            assertThat(env.restore(NS, restore.getMetadata().getName())).isNull();
        }
    }

    @Test
    void wrongTargetCredentialsFailBeforeAnythingIsTouched() {
        databaseWithBackup("orders_auth", "orders-auth");
        env.secret(NS, "bad-target", Map.of("username", env.postgres().superuser(), "password", "wrong"));
        Restore done = applyAndAwait(RestoreFactory.ofBackup("orders-auth").target(env, "orders_auth", "bad-target").build(NS, "bad-auth"));
        assertFailed(done, "DatabaseAuthFailed", "password authentication failed");
        assertThat(done.getStatus().safetyBackupName()).isNull();
    }

    @Test
    void newDatabaseRefusesAnExistingTarget() {
        databaseWithBackup("orders_exists", "orders-exists");
        assertFailed(applyAndAwait(RestoreFactory.ofBackup("orders-exists").strategy(RestoreStrategy.newDatabase)
                .build(NS, "exists")), "DatabaseExists", "orders_exists");
    }

    @Test
    void quiesceOfAMissingDeploymentIsInvalid() {
        databaseWithBackup("orders_quiesce", "orders-quiesce");
        assertFailed(applyAndAwait(RestoreFactory.ofBackup("orders-quiesce").quiesceDeployments("ghost-api").build(NS, "ghost")),
                "InvalidSpec", "Deployment restores/ghost-api does not exist");
    }

    @Test
    void aScopeTableTheArchiveDoesNotHoldIsInvalid() {
        databaseWithBackup("orders_scope", "orders-scope");
        assertFailed(applyAndAwait(RestoreFactory.ofBackup("orders-scope").strategy(RestoreStrategy.inPlace)
                .tables(List.of("public.no_such_table")).build(NS, "bad-scope")), "InvalidSpec", "no_such_table");
    }

    @Test
    void whileARestoreRunsItsDatabaseIsNotBackedUpAndItsBackupNotDeletedEvenAcrossAnOperatorRestart() {
        DatabaseFingerprint atBackup = databaseWithBackup("orders_busy", "orders-busy");
        changeData("orders_busy");
        // A workload whose Pods cannot go away holds the Restore in Quiescing: its two Pods run on the node, and an
        // admission policy refuses their deletion (the real ReplicaSet controller keeps trying).
        env.workload(NS, "busy-api", 2);
        env.await("busy-api's 2 Pods running", () -> readyReplicas("busy-api") == 2, TIMEOUT);
        PodsStay stay = keepPods("busy-api");

        env.client().resource(RestoreFactory.ofBackup("orders-busy").quiesceDeployments("busy-api").build(NS, "busy")).create();
        env.awaitRestore(NS, "busy", r -> r.getStatus() != null && r.getStatus().phase() == RestorePhase.Quiescing, TIMEOUT);
        awaitScaledToZero("busy-api");

        env.client().resource(BackupFactory.of(env, "orders_busy", BUCKET).build(NS, "during-restore")).create();
        Backup waiting = env.awaitBackup(NS, "during-restore", b -> b.getStatus() != null && b.getStatus().phase() == BackupPhase.Pending, TIMEOUT);
        assertThat(ready(waiting.getStatus().conditions()).getReason()).isEqualTo("RestoreInProgress");
        env.client().resources(Backup.class).inNamespace(NS).withName("orders-busy").delete();

        env.operator().kill();
        env.operator().start();
        assertThat(env.backup(NS, "orders-busy")).as("the Backup being restored survives its deletion").isNotNull();
        assertThat(env.client().apps().deployments().inNamespace(NS).withName("busy-api").get().getSpec().getReplicas()).isZero();

        assertThat(env.restore(NS, "busy").getStatus().phase()).isEqualTo(RestorePhase.Quiescing);
        stay.release();

        Restore done = env.awaitRestore(NS, "busy", r -> terminal(r), TIMEOUT);
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_busy")).isEqualTo(atBackup);
        assertThat(env.client().apps().deployments().inNamespace(NS).withName("busy-api").get().getSpec().getReplicas()).isEqualTo(2);
        env.awaitBackup(NS, "during-restore", b -> b.getStatus().phase() == BackupPhase.Completed, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (env.backup(NS, "orders-busy") != null && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertThat(env.backup(NS, "orders-busy")).as("deleted once the Restore ended").isNull();
    }

    @Test
    void aFailedVerificationKeepsItsReasonAndMismatchesWhateverTheRetries() {
        databaseWithBackup("orders_retry", "orders-retry");
        DatabaseFingerprint changed = changeData("orders_retry");
        Manifests.addOneRow(env.s3(), BUCKET, env.backup(NS, "orders-retry"), "customers");

        Restore done = applyAndAwait(withBackoffLimit(RestoreFactory.ofBackup("orders-retry").safetyBackup(false)
                .build(NS, "retried"), 2));

        assertFailed(done, "VerificationFailed", "customers");
        assertThat(done.getStatus().message()).as(describe(done)).doesNotContain("DatabaseNotFound");
        assertThat(done.getStatus().verification().mismatches()).as(describe(done)).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("customers");
            assertThat(m.actual()).isEqualTo(m.expected() - 1);
        });
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_retry")).isEqualTo(changed);
        Job verify = stepJob("retried", "compare");
        assertThat(verify.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
        assertThat(verify.getSpec().getPodFailurePolicy().getRules()).as("the verify Job's podFailurePolicy")
                .anySatisfy(rule -> {
                    assertThat(rule.getAction()).isEqualTo("FailJob");
                    assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo("agent");
                    assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
                    assertThat(rule.getOnExitCodes().getValues()).contains(1, 2);
                });
    }

    @Test
    void anAgentFailureWithAReasonIsNotRetried() {
        databaseWithBackup("orders_once", "orders-once");
        Manifests.addOneRow(env.s3(), BUCKET, env.backup(NS, "orders-once"), "customers");
        Restore done = applyAndAwait(withBackoffLimit(RestoreFactory.ofBackup("orders-once").safetyBackup(false)
                .build(NS, "once"), 2));
        assertFailed(done, "VerificationFailed", "customers");
        Job verify = stepJob("once", "compare");
        assertThat(verify.getStatus().getFailed()).as("Pods of the verify Job that failed").isEqualTo(1);
        assertThat(verify.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Failed");
            assertThat(c.getReason()).isEqualTo("PodFailurePolicy");
        });
        assertThat(env.client().pods().inNamespace(NS).withLabel("job-name", verify.getMetadata().getName()).list()
                .getItems()).hasSize(1);
    }

    @Test
    void theWorkloadsAreDownBeforeTheSafetyBackupIsTaken() {
        DatabaseFingerprint atBackup = databaseWithBackup("orders_order", "orders-order");
        changeData("orders_order");
        env.workload(NS, "order-api", 2);
        env.await("order-api's 2 Pods running", () -> readyReplicas("order-api") == 2, TIMEOUT);
        PodsStay stay = keepPods("order-api");

        env.client().resource(RestoreFactory.ofBackup("orders-order").quiesceDeployments("order-api").build(NS, "quiesce-first"))
                .create();
        env.awaitRestore(NS, "quiesce-first", r -> r.getStatus() != null && r.getStatus().phase() == RestorePhase.Quiescing, TIMEOUT);
        awaitScaledToZero("order-api");
        sleep(3000); // the operator looks at the workloads every 2 s
        Restore quiescing = env.restore(NS, "quiesce-first");
        assertThat(quiescing.getStatus().phase()).as(describe(quiescing)).isEqualTo(RestorePhase.Quiescing);
        assertThat(quiescing.getStatus().safetyBackupName()).as("no safety backup while the workloads still run").isNull();
        assertThat(env.client().resources(Backup.class).inNamespace(NS).withLabel(BacktrackApi.ROLE_LABEL, "safety-backup")
                .list().getItems()).noneMatch(b -> b.getSpec().database().database().equals("orders_order"));
        assertThat(env.client().apps().deployments().inNamespace(NS).withName("order-api").get().getSpec().getReplicas()).isZero();

        stay.release();
        Restore done = env.awaitRestore(NS, "quiesce-first", RestoreScenariosTest::terminal, TIMEOUT);
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(RestorePhase.Completed);
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_order")).isEqualTo(atBackup);
        assertThat(env.backup(NS, done.getStatus().safetyBackupName()).getStatus().phase()).isEqualTo(BackupPhase.Completed);
        String[] steps = {"Checking", "ArchiveVerified", "Quiescing", "SafetyBackup", "Restoring", "Verifying", "Resumed", "Completed"};
        assertThat(reasons("quiesce-first", steps)).containsSubsequence(steps);
        assertThat(env.client().apps().deployments().inNamespace(NS).withName("order-api").get().getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void deletingARunningRestoreBringsTheWorkloadsBackAndReleasesItsBackup() {
        DatabaseFingerprint atBackup = databaseWithBackup("orders_abort", "orders-abort");
        DatabaseFingerprint changed = changeData("orders_abort");
        env.workload(NS, "abort-api", 3);
        env.await("abort-api's 3 Pods running", () -> readyReplicas("abort-api") == 3, TIMEOUT);
        PodsStay stay = keepPods("abort-api");
        env.client().resource(RestoreFactory.ofBackup("orders-abort").quiesceDeployments("abort-api").build(NS, "aborted")).create();
        env.awaitRestore(NS, "aborted", r -> r.getStatus() != null && r.getStatus().phase() == RestorePhase.Quiescing, TIMEOUT);
        awaitScaledToZero("abort-api");
        assertThat(env.backup(NS, "orders-abort").getMetadata().getFinalizers()).contains(BacktrackApi.RESTORE_PROTECTION_FINALIZER);

        env.client().resources(Restore.class).inNamespace(NS).withName("aborted").delete();

        env.await("Restore aborted gone", () -> env.restore(NS, "aborted") == null, TIMEOUT);
        Deployment api = env.client().apps().deployments().inNamespace(NS).withName("abort-api").get();
        assertThat(api.getSpec().getReplicas()).as("replicas after the Restore was deleted").isEqualTo(3);
        assertThat(api.getMetadata().getAnnotations()).doesNotContainKeys(BacktrackApi.QUIESCED_BY_ANNOTATION,
                BacktrackApi.REPLICAS_BEFORE_ANNOTATION);
        Backup released = env.backup(NS, "orders-abort");
        assertThat(released.getMetadata().getFinalizers()).doesNotContain(BacktrackApi.RESTORE_PROTECTION_FINALIZER);
        assertThat(released.getMetadata().getLabels()).doesNotContainKey(BacktrackApi.IN_USE_BY_RESTORE_LABEL);
        assertThat(reasons("aborted", "Aborted")).contains("Aborted");
        assertThat(DatabaseFingerprint.of(env.postgres(), "orders_abort")).isEqualTo(changed).isNotEqualTo(atBackup);
        stay.release();
    }

    // --- helpers ---

    /** Pods that cannot be deleted until released; released after each test whatever its outcome. */
    private PodsStay keepPods(String app) {
        PodsStay stay = PodsStay.of(env, NS, app);
        stays.add(stay);
        return stay;
    }

    /**
     * A failed case must not leave a Restore stuck in Quiescing: it would hold an agent Job slot (and its database)
     * for every test class that runs after this one.
     */
    @AfterEach
    void releasePods() {
        stays.forEach(PodsStay::release);
        stays.clear();
    }

    /** Quiescing records the replica counts in the Restore's status first, then scales down on its next pass. */
    private static void awaitScaledToZero(String deployment) {
        env.await(deployment + " scaled to 0", () -> env.client().apps().deployments().inNamespace(NS).withName(deployment).get()
                .getSpec().getReplicas() == 0, TIMEOUT);
    }

    private static int readyReplicas(String deployment) {
        Deployment d = env.client().apps().deployments().inNamespace(NS).withName(deployment).get();
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }


    private static Restore withBackoffLimit(Restore restore, int backoffLimit) {
        RestoreSpec s = restore.getSpec();
        restore.setSpec(new RestoreSpec(s.backupName(), s.source(), s.target(), s.strategy(), s.scope(), s.safetyBackup(),
                s.verify(), s.quiesce(), JobSettings.limits(120L, backoffLimit), s.lockTimeout(), null, null, null));
        return restore;
    }

    /** The Job of one step (check, restore, verify) of a Restore, found by its owner. */
    private static Job stepJob(String restore, String step) {
        return env.client().batch().v1().jobs().inNamespace(NS).withLabel(BacktrackApi.STEP_LABEL, step).list().getItems()
                .stream().filter(j -> j.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getName().equals(restore)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + step + " Job of Restore " + restore));
    }

    private static Deployment deployment(String name, int replicas) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example/app:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
        return env.client().resource(d).create();
    }

    private static Restore applyAndAwait(Restore restore) {
        env.client().resource(restore).create();
        return env.awaitRestore(NS, restore.getMetadata().getName(), RestoreScenariosTest::terminal, TIMEOUT);
    }

    private static boolean terminal(Restore r) {
        return r.getStatus() != null && r.getStatus().phase() != null && r.getStatus().phase().isTerminal();
    }

    private static void assertFailed(Restore done, String reason, String messagePart) {
        String name = done.getMetadata().getName();
        assertThat(done.getStatus().phase()).as(describe(done)).isEqualTo(RestorePhase.Failed);
        assertThat(ready(done.getStatus().conditions()).getReason()).as(describe(done)).isEqualTo(reason);
        assertThat(done.getStatus().message()).as(describe(done)).contains(messagePart);
        assertThat(env.events(NS, name, reason)).as("events of " + name).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo(reason);
        });
        assertThat(String.valueOf(done.getStatus())).doesNotContain(env.postgres().password()).doesNotContain(env.s3().secretKey());
    }

    private static Condition ready(List<Condition> conditions) {
        return conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
    }

    /** The reasons of the resource's Events, once the awaited ones are there. */
    private static List<String> reasons(String name, String... awaited) {
        return env.eventReasons(NS, name, awaited);
    }

    private static String describe(Restore r) {
        return "status of " + r.getMetadata().getName() + ": " + r.getStatus();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
