package io.backtrack.controller.storage;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionType;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageStatus;
import io.backtrack.contract.result.ProbeResult;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.ResultLine;
import io.backtrack.controller.TestCluster;
import io.backtrack.controller.TestConfig;
import io.backtrack.controller.TestContext;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The BackupStorage reconciler's branches, against an in-memory API server; the probe Jobs are finished by hand. */
@EnableKubernetesMockClient(crud = true)
class BackupStorageReconcilerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T02:00:00Z");

    KubernetesClient client;
    private TestCluster cluster;
    private BackupStorageReconciler reconciler;

    @BeforeEach
    void operator() {
        cluster = new TestCluster(client, NOW);
        reconciler = new BackupStorageReconciler(client, cluster.events, TestConfig.INSTANCE, cluster.clock);
    }

    private UpdateControl<BackupStorage> reconcile(BackupStorage storage) {
        UpdateControl<BackupStorage> control = reconciler.reconcile(storage,
                new TestContext<>(client, storage).withReducedJobs());
        control.getResource().ifPresent(cluster::writeStatus);
        return control;
    }

    private BackupStorage current(String name) {
        return client.resources(BackupStorage.class).inNamespace(TestCluster.NS).withName(name).get();
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(TestCluster.NS).list().getItems();
    }

    private static Condition available(BackupStorage storage) {
        return Conditions.find(storage.getStatus().conditions(), ConditionType.Available);
    }

    private static String probeSucceeded() {
        return ResultLine.success(new ProbeResult("db-backups", "prod", 412, 89234567890L, 1240, 1.2)).toJson();
    }

    @Test
    void aNewStorageIsProbedAtOnceAndIsAvailableWithItsCountsOnceTheProbeSucceeds() {
        cluster.withSecrets();
        BackupStorage storage = cluster.create(TestStorages.storage("prod-backups", "db-backups", "prod", null));

        UpdateControl<BackupStorage> probing = reconcile(storage);

        assertThat(jobs()).singleElement().satisfies(j -> {
            assertThat(j.getMetadata().getLabels()).containsEntry(BacktrackApi.STORAGE_LABEL, "prod-backups")
                    .containsEntry(BacktrackApi.ROLE_LABEL, "probe")
                    // Labels, not annotations: the operator's Job cache keeps only labels (JobCache).
                    .containsEntry(ProbeJobs.GENERATION_LABEL, "1")
                    .containsEntry(ProbeJobs.STARTED_LABEL, String.valueOf(NOW.getEpochSecond()));
            assertThat(j.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getKind()).isEqualTo("BackupStorage"));
            assertThat(j.getSpec().getActiveDeadlineSeconds()).isEqualTo(ProbeJobs.ACTIVE_DEADLINE_SECONDS);
            assertThat(j.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("probe",
                    "--endpoint", "https://s3.eu-central-1.example", "--bucket", "db-backups", "--region",
                    "eu-central-1", "--prefix", "prod");
        });
        BackupStorage afterStart = current("prod-backups");
        assertThat(available(afterStart).getStatus()).isEqualTo("False");
        assertThat(available(afterStart).getReason()).isEqualTo("Probing");
        assertThat(afterStart.getStatus().probeJobName()).isEqualTo(jobs().get(0).getMetadata().getName());
        assertThat(probing.getScheduleDelay()).as("the Job's end is the next event").isEmpty();
        assertThat(reconcile(afterStart).isNoUpdate()).as("one probe at a time").isTrue();
        assertThat(jobs()).hasSize(1);

        cluster.finish(jobs().get(0), true, 0, probeSucceeded());
        cluster.clock.set(NOW.plusSeconds(5));
        UpdateControl<BackupStorage> probed = reconcile(current("prod-backups"));

        BackupStorageStatus status = current("prod-backups").getStatus();
        assertThat(available(current("prod-backups")).getStatus()).isEqualTo("True");
        assertThat(available(current("prod-backups")).getReason()).isEqualTo("ProbeSucceeded");
        assertThat(Conditions.find(status.conditions(), ConditionType.Ready).getStatus()).isEqualTo("True");
        assertThat(status.backups()).isEqualTo(412);
        assertThat(status.bytes()).isEqualTo(89234567890L);
        assertThat(status.size()).isEqualTo("83.1 GiB");
        assertThat(status.lastProbeTime()).isEqualTo(NOW.plusSeconds(5).toString());
        assertThat(status.observedGeneration()).isEqualTo(current("prod-backups").getMetadata().getGeneration());
        assertThat(cluster.events.withReason("Available")).singleElement().asString().contains("412 backup(s)");
        assertThat(jobs()).as("the probe's result is in the status; its Job goes").isEmpty();
        assertThat(probed.getScheduleDelay()).contains(Duration.ofHours(1).toMillis());

        UpdateControl<BackupStorage> idle = reconcile(current("prod-backups"));
        assertThat(idle.isNoUpdate()).isTrue();
        assertThat(idle.getScheduleDelay()).contains(Duration.ofHours(1).toMillis());
        assertThat(jobs()).isEmpty();

        cluster.clock.set(NOW.plusSeconds(5).plus(Duration.ofHours(1)));
        reconcile(current("prod-backups"));
        assertThat(jobs()).as("probed again after probeInterval (default 1h)").hasSize(1);
        assertThat(available(current("prod-backups")).getStatus()).as("still the last result while it runs")
                .isEqualTo("True");
    }

    @Test
    void aFailedProbeMakesTheStorageUnavailableWithTheAgentsReasonOnce() {
        cluster.withSecrets();
        BackupStorage storage = cluster.create(TestStorages.storage("prod-backups", "db-backups", "prod", "30m"));
        reconcile(storage);
        cluster.finish(jobs().get(0), false, 1, ResultLine.failure(Reason.BucketNotFound,
                "bucket db-backups does not exist at https://s3.eu-central-1.example; create it or fix storage.s3.bucket",
                null).toJson());

        reconcile(current("prod-backups"));

        Condition condition = available(current("prod-backups"));
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("BucketNotFound");
        assertThat(condition.getMessage()).contains("bucket db-backups does not exist");
        assertThat(current("prod-backups").getStatus().backups()).isNull();
        assertThat(cluster.events.withReason("BucketNotFound")).hasSize(1);
        UpdateControl<BackupStorage> idle = reconcile(current("prod-backups"));
        assertThat(idle.getScheduleDelay()).contains(Duration.ofMinutes(30).toMillis());

        cluster.clock.set(NOW.plus(Duration.ofMinutes(30)));
        reconcile(current("prod-backups"));
        cluster.finish(jobs().get(0), false, 1, ResultLine.failure(Reason.BucketNotFound,
                "bucket db-backups does not exist at https://s3.eu-central-1.example; create it or fix storage.s3.bucket",
                null).toJson());
        reconcile(current("prod-backups"));
        assertThat(cluster.events.withReason("BucketNotFound")).as("said once while it stays so").hasSize(1);

        cluster.clock.set(NOW.plus(Duration.ofMinutes(60)));
        reconcile(current("prod-backups"));
        cluster.finish(jobs().get(0), true, 0, probeSucceeded());
        reconcile(current("prod-backups"));
        assertThat(available(current("prod-backups")).getStatus()).isEqualTo("True");
        assertThat(cluster.events.withReason("Available")).hasSize(1);
    }

    @Test
    void aProbeKilledWithoutAResultIsReportedAsSuch() {
        cluster.withSecrets();
        reconcile(cluster.create(TestStorages.storage("prod-backups", "db-backups", "prod", null)));
        cluster.finish(jobs().get(0), false, 137, "");

        reconcile(current("prod-backups"));

        assertThat(available(current("prod-backups")).getReason()).isEqualTo("JobFailed");
        assertThat(available(current("prod-backups")).getMessage()).contains("exit code 137");
    }

    @Test
    void aMissingCredentialsSecretWaitsWithoutAJob() {
        BackupStorage storage = cluster.create(TestStorages.storage("prod-backups", "db-backups", "prod", null));

        UpdateControl<BackupStorage> waiting = reconcile(storage);

        assertThat(jobs()).isEmpty();
        assertThat(available(current("prod-backups")).getReason()).isEqualTo("SecretNotFound");
        assertThat(available(current("prod-backups")).getMessage()).contains("Secret shop/s3-creds");
        assertThat(waiting.getScheduleDelay()).contains(BackupStorageReconciler.SECRET_RECHECK.toMillis());
        assertThat(reconcile(current("prod-backups")).isNoUpdate()).isTrue();
        assertThat(cluster.events.withReason("SecretNotFound")).hasSize(1);

        cluster.withSecrets();
        reconcile(current("prod-backups"));
        assertThat(jobs()).as("probed as soon as the Secret exists").hasSize(1);
    }

    @Test
    void anInvalidSpecIsNeverProbed() {
        cluster.withSecrets();
        BackupStorage storage = cluster.create(TestStorages.storage("prod-backups", "db-backups", "prod", "30s"));

        UpdateControl<BackupStorage> refused = reconcile(storage);

        assertThat(jobs()).isEmpty();
        assertThat(available(current("prod-backups")).getReason()).isEqualTo("InvalidSpec");
        assertThat(available(current("prod-backups")).getMessage()).contains("probeInterval 30s is shorter than 1m");
        assertThat(refused.getScheduleDelay()).as("a fixed spec is a new generation, an event").isEmpty();
    }

    @Test
    void aChangedSpecIsProbedAgainAtOnceAndAnOldProbesResultDoesNotCountForIt() {
        cluster.withSecrets();
        reconcile(cluster.create(TestStorages.storage("prod-backups", "db-backups", "prod", null)));
        Job first = jobs().get(0);

        BackupStorage changed = current("prod-backups");
        BackupStorage edited = TestStorages.storage("prod-backups", "db-backups-2", "prod", null);
        edited.getMetadata().setResourceVersion(changed.getMetadata().getResourceVersion());
        edited.getMetadata().setGeneration(2L);
        edited.setStatus(changed.getStatus());
        client.resource(edited).update();
        cluster.finish(first, true, 0, probeSucceeded());

        reconcile(current("prod-backups"));

        BackupStorage after = current("prod-backups");
        assertThat(after.getStatus().observedGeneration()).as("the result was of generation 1").isEqualTo(1L);
        assertThat(jobs()).as("the old probe gone, the new generation's started").singleElement()
                .satisfies(j -> assertThat(j.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                        .contains("db-backups-2"));
    }
}
