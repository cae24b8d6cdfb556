package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseTls;
import io.backtrack.api.database.SslMode;
import io.backtrack.api.tls.CaSecret;
import io.backtrack.api.tls.ClientCertSecret;
import io.backtrack.contract.args.AgentMounts;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreScope;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.controller.TestAgentConfig;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreJobsTest {
    static final Instant STARTED = Instant.parse("2026-11-22T03:15:00Z");

    @Test
    void eachStepRunsTheAgentsRestoreWithTheSameDatabaseNames() {
        Restore restore = restore(RestoreStrategy.swap, null);
        RestorePlan plan = plan(restore);
        RestoreJobs jobs = new RestoreJobs(TestAgentConfig.INSTANCE);
        assertThat(RestoreJobs.steps(plan)).containsExactly(RestoreStep.CHECK, RestoreStep.RESTORE, RestoreStep.COMPARE);
        List<String> sides = new ArrayList<>();
        for (RestoreStep step : RestoreJobs.steps(plan)) {
            Job job = jobs.build(restore, plan, step, STARTED);
            Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getArgs()).containsSubsequence("restore", "--endpoint", "http://minio:9000", "--bucket", "db-backups",
                    "--region", "us-east-1", "--key", "prod/shop/orders-nightly");
            assertThat(c.getArgs()).containsSubsequence("--host", "orders-db", "--port", "5432", "--dbname", "orders");
            assertThat(c.getArgs()).containsSubsequence("--strategy", "swap", "--step", step.wireName(), "--verify", "rowCounts");
            assertThat(c.getArgs()).containsSubsequence("--previous-database", "orders_before_restore_20261122t031500z");
            sides.add(c.getArgs().get(c.getArgs().indexOf("--side-database") + 1));
            assertThat(job.getMetadata().getName()).isEqualTo(RestoreJobs.name(restore, step));
            assertThat(job.getMetadata().getLabels()).containsEntry(BacktrackApi.RESTORE_LABEL, "rollback")
                    .containsEntry(BacktrackApi.ROLE_LABEL, "restore").containsEntry(BacktrackApi.STEP_LABEL, step.wireName());
            assertThat(c.getEnv()).extracting(EnvVar::getName).contains("PGUSER", "PGPASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        }
        assertThat(sides).as("one side database for every step").containsOnly(sides.get(0));
        assertThat(sides.get(0)).matches("orders_restoring_[0-9a-f]{5}");
        assertThat(RestoreJobs.name(restore, RestoreStep.CHECK)).isNotEqualTo(RestoreJobs.name(restore, RestoreStep.RESTORE));
    }

    @Test
    void everyStepGetsTheTargetsTlsFilesAndTheStoresCaAndNoStaticKeyWhenThereIsNone() {
        Restore restore = restore(RestoreStrategy.swap, null);
        for (RestoreStep step : RestoreJobs.steps(tlsPlan(restore))) {
            var pod = new RestoreJobs(TestAgentConfig.INSTANCE).build(restore, tlsPlan(restore), step, STARTED)
                    .getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertThat(c.getArgs()).containsSubsequence("--sslmode", "verify-full", "--sslrootcert",
                    AgentMounts.DATABASE_CA_FILE, "--sslcert", AgentMounts.DATABASE_CLIENT_CERT, "--sslkey",
                    AgentMounts.DATABASE_CLIENT_KEY);
            assertThat(c.getArgs()).containsSubsequence("--storage-ca-file", AgentMounts.STORAGE_CA_FILE,
                    "--virtual-host-style");
            assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotContain("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
            assertThat(pod.getVolumes()).extracting(v -> v.getSecret() == null ? null : v.getSecret().getSecretName())
                    .contains("db-ca", "db-client", "corp-ca");
            assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("db-ca"))
                    .singleElement().satisfies(v -> assertThat(v.getSecret().getItems()).singleElement()
                            .satisfies(i -> assertThat(i.getKey() + "->" + i.getPath()).isEqualTo("root.pem->ca.crt")));
        }
    }

    @Test
    void anInPlaceRestoreHasNoCompareStepItComparesInItsRestoreStep() {
        Restore restore = restore(RestoreStrategy.inPlace, null);
        assertThat(RestoreJobs.steps(plan(restore))).containsExactly(RestoreStep.CHECK, RestoreStep.RESTORE);
    }

    @Test
    void scopeBecomesAgentSelection() {
        Restore restore = restore(RestoreStrategy.inPlace, new RestoreScope(List.of("public.orders"), List.of("billing"), null, true));
        Container c = new RestoreJobs(TestAgentConfig.INSTANCE).build(restore, plan(restore), RestoreStep.RESTORE, STARTED)
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).containsSubsequence("--table", "public.orders").containsSubsequence("--schema", "billing")
                .contains("--data-only").doesNotContain("--side-database");
        assertThat(c.getArgs()).as("an in-place restore never queues behind locks without bound")
                .containsSubsequence("--lock-timeout", RestoreSpec.DEFAULT_LOCK_TIMEOUT);
    }

    @Test
    void parallelJobsGoToTheCheckAndRestoreStepsOfASwap() {
        Restore swap = restore(RestoreStrategy.swap, null);
        swap.setSpec(new RestoreSpec("orders-nightly", null, null, RestoreStrategy.swap, null, null, null, null, null,
                null, null, null, null, null, 4));
        RestoreJobs jobs = new RestoreJobs(TestAgentConfig.INSTANCE);
        for (RestoreStep step : RestoreJobs.steps(plan(swap))) {
            assertThat(jobs.build(swap, plan(swap), step, STARTED).getSpec().getTemplate().getSpec().getContainers()
                    .get(0).getArgs()).as("%s", step).containsSubsequence("--jobs", "4");
        }
        Restore streamed = restore(RestoreStrategy.swap, null);
        assertThat(jobs.build(streamed, plan(streamed), RestoreStep.RESTORE, STARTED).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getArgs()).as("the default streams").doesNotContain("--jobs");
    }

    @Test
    void theLockTimeoutGoesToInPlaceRestoresOnly() {
        Restore inPlace = restore(RestoreStrategy.inPlace, null);
        inPlace.setSpec(new RestoreSpec("orders-nightly", null, null, RestoreStrategy.inPlace, null, null, null, null,
                null, "2m", null, null, null));
        assertThat(new RestoreJobs(TestAgentConfig.INSTANCE).build(inPlace, plan(inPlace), RestoreStep.RESTORE, STARTED)
                .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsSubsequence("--lock-timeout", "2m");
        Restore swap = restore(RestoreStrategy.swap, null);
        assertThat(new RestoreJobs(TestAgentConfig.INSTANCE).build(swap, plan(swap), RestoreStep.RESTORE, STARTED)
                .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).doesNotContain("--lock-timeout");
    }

    @Test
    void aLongTargetsSwapNamesFitPostgresLimits() {
        Restore restore = restore(RestoreStrategy.swap, null);
        RestorePlan plan = plan(restore).withDatabase("ü".repeat(40));
        List<String> args = new RestoreJobs(TestAgentConfig.INSTANCE).build(restore, plan, RestoreStep.CHECK, STARTED)
                .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        for (String flag : List.of("--side-database", "--previous-database")) {
            assertThat(args.get(args.indexOf(flag) + 1).getBytes(StandardCharsets.UTF_8)).as(flag).hasSizeLessThanOrEqualTo(63);
        }
    }

    @Test
    void theSafetyBackupSavesTheTargetToTheSourceStorageAndOutlivesTheRestore() {
        Restore restore = restore(RestoreStrategy.swap, null);
        var backup = SafetyBackups.of(restore, plan(restore));
        assertThat(backup.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(backup.getMetadata().getLabels()).containsEntry(BacktrackApi.ROLE_LABEL, "safety-backup")
                .containsEntry(BacktrackApi.RESTORE_LABEL, "rollback");
        assertThat(backup.getSpec().database().database()).isEqualTo("orders");
        assertThat(backup.getSpec().storage().s3().bucket()).isEqualTo("db-backups");
        assertThat(backup.getSpec().deletionPolicyOrDefault().name()).isEqualTo("Retain");
        assertThat(backup.getMetadata().getName()).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void aLongRestoreNameIsShortenedInEveryLabelAndKeptInFullWhereItIsReadBack() {
        String name = "rollback-" + "x".repeat(190);
        Restore restore = restore(name, RestoreStrategy.swap, null);
        for (RestoreStep step : RestoreJobs.steps(plan(restore))) {
            Job job = new RestoreJobs(TestAgentConfig.INSTANCE).build(restore, plan(restore), step, STARTED);
            assertThat(job.getMetadata().getLabels()).containsEntry(BacktrackApi.RESTORE_LABEL, LabelValues.of(name))
                    .allSatisfy((k, v) -> assertThat(LabelValues.isValid(v)).as("label %s=%s", k, v).isTrue());
            assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());
        }
        var safety = SafetyBackups.of(restore, plan(restore));
        assertThat(safety.getMetadata().getLabels()).containsEntry(BacktrackApi.RESTORE_LABEL, LabelValues.of(name))
                .allSatisfy((k, v) -> assertThat(LabelValues.isValid(v)).as("label %s=%s", k, v).isTrue());
        assertThat(LabelValues.nameIn(safety, BacktrackApi.RESTORE_LABEL)).isEqualTo(name);
    }

    static Restore restore(RestoreStrategy strategy, RestoreScope scope) {
        return restore("rollback", strategy, scope);
    }

    static Restore restore(String name, RestoreStrategy strategy, RestoreScope scope) {
        Restore r = new Restore();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").withUid("uid-1").withGeneration(1L).build());
        r.setSpec(new RestoreSpec("orders-nightly", null, null, strategy, scope, null, null, null, null, null, null, null, null));
        return r;
    }

    static RestorePlan plan(Restore r) {
        return new RestorePlan("orders-nightly", new S3Storage("http://minio:9000", "db-backups", null, "prod", true,
                new S3Credentials("s3", null, null)), "prod/shop/orders-nightly", "orders-db", 5432, "orders",
                new DatabaseCredentials("orders-db", null, null), null, r.getSpec());
    }

    /** The plan over TLS both ways: a private CA for the store, verify-full and a client certificate for the target. */
    static RestorePlan tlsPlan(Restore r) {
        return new RestorePlan("orders-nightly", new S3Storage("https://minio:9000", "db-backups", null, "prod", false,
                null, new CaSecret("corp-ca", null), null), "prod/shop/orders-nightly", "orders-db", 5432, "orders",
                new DatabaseCredentials("orders-db", null, null),
                new DatabaseTls(SslMode.verifyFull, new CaSecret("db-ca", "root.pem"), new ClientCertSecret("db-client", null, null)),
                r.getSpec());
    }
}
