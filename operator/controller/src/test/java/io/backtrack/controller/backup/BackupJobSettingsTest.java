package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.job.JobSettings;
import io.backtrack.controller.TestAgentConfig;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart's jobDefaults under a resource's spec.job, as the Job the operator creates shows them. */
class BackupJobSettingsTest {
    /** What the chart's Deployment passes: toJson of values.yaml's jobDefaults, here with every field set. */
    static final String CHART_DEFAULTS = """
            {"activeDeadlineSeconds":1800,"backoffLimit":1,
             "resources":{"requests":{"cpu":"100m","memory":"256Mi"},"limits":{"cpu":2,"memory":"1Gi"}},
             "podAnnotations":{"sidecar.istio.io/inject":"false","team":"platform"},
             "podLabels":{"cost-center":"db"},
             "nodeSelector":{"pool":"batch"},
             "tolerations":[{"key":"batch","operator":"Exists"}],
             "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
               {"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]}}},
             "priorityClassName":"backups","serviceAccountName":"","ttlSecondsAfterFinished":null}""";

    private final BackupJobs withDefaults = new BackupJobs(TestAgentConfig.withJobDefaults(CHART_DEFAULTS));

    @Test
    void aBackupWithoutJobSettingsGetsEveryChartDefaultSoAQuotaDemandingLimitsAdmitsItsPod() {
        Job job = withDefaults.backup(TestBackups.backup(), s3(TestBackups.backup()), null);
        var pod = job.getSpec().getTemplate();
        var c = pod.getSpec().getContainers().get(0);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isNull();
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("100m")).containsEntry("memory", new Quantity("256Mi"));
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("1Gi"));
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("sidecar.istio.io/inject", "false");
        assertThat(pod.getMetadata().getLabels()).containsEntry("cost-center", "db")
                .containsEntry(BacktrackApi.MANAGED_BY_LABEL, BacktrackApi.MANAGED_BY);
        assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("pool", "batch"));
        assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("batch"));
        assertThat(pod.getSpec().getAffinity().getNodeAffinity()).isNotNull();
        assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("backups");
        assertThat(pod.getSpec().getServiceAccountName()).as("a blank default is no ServiceAccount").isNull();
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void aResourcesSettingsWinScalarsAndListsWholeAndMapsKeyByKey() {
        JobSettings own = new JobSettings(600L, null,
                new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("4Gi")).build(),
                Map.of("pool", "big"), List.of(new TolerationBuilder().withKey("big").withOperator("Exists").build()),
                new AffinityBuilder().withNewPodAntiAffinity().endPodAntiAffinity().build(), "critical", "s3-writer",
                Map.of("team", "orders"), Map.of("app", "orders"), 3600);
        Job job = withDefaults.backup(withJob(own), s3(withJob(own)), null);
        var pod = job.getSpec().getTemplate();
        var c = pod.getSpec().getContainers().get(0);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
        assertThat(job.getSpec().getBackoffLimit()).as("not set here: the chart's").isEqualTo(1);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
        assertThat(c.getResources().getLimits()).as("limits.memory raised, the default CPU limit kept")
                .containsEntry("memory", new Quantity("4Gi")).containsEntry("cpu", new Quantity("2"));
        assertThat(c.getResources().getRequests()).containsEntry("memory", new Quantity("256Mi"));
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("sidecar.istio.io/inject", "false").containsEntry("team", "orders");
        assertThat(pod.getMetadata().getLabels()).containsEntry("cost-center", "db").containsEntry("app", "orders");
        assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("pool", "big"));
        assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("big"));
        assertThat(pod.getSpec().getAffinity().getNodeAffinity()).as("replaced whole").isNull();
        assertThat(pod.getSpec().getAffinity().getPodAntiAffinity()).isNotNull();
        assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("critical");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("s3-writer");
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void theOperatorsOwnPodLabelsWinOverAnyoneElses() {
        // The CRD refuses these; a CRD older than the operator, or the schedule template path, must still not let a
        // label break the Job's selection of its own Pods or the operator's counting of its Jobs.
        JobSettings own = new JobSettings(null, null, null, null, null, null, null, null, null,
                Map.of(BacktrackApi.MANAGED_BY_LABEL, "someone-else", BacktrackApi.ROLE_LABEL, "x"), null);
        var labels = withDefaults.backup(withJob(own), s3(withJob(own)), null).getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels).containsEntry(BacktrackApi.MANAGED_BY_LABEL, BacktrackApi.MANAGED_BY)
                .containsEntry(BacktrackApi.ROLE_LABEL, "backup");
        assertThat(BackupValidator.problems(withJob(own).getSpec())).anySatisfy(p -> assertThat(p)
                .contains("job.podLabels may not set " + BacktrackApi.MANAGED_BY_LABEL));
    }

    @Test
    void withoutChartDefaultsAJobGetsTheBuiltInDeadlineAndRetriesAndNothingElse() {
        Job job = new BackupJobs(TestAgentConfig.INSTANCE).backup(TestBackups.backup(), s3(TestBackups.backup()), null);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()).isNull();
        assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations()).isNull();
        assertThat(job.getSpec().getTemplate().getSpec().getPriorityClassName()).isNull();
    }

    @Test
    void chartDefaultsThatDoNotParseOrBreakARuleStopTheOperatorWithTheProblemNamed() {
        assertThatThrownBy(() -> new BackupJobs(TestAgentConfig.withJobDefaults("{\"backoffLimit\": \"many\"}")))
                .hasMessageContaining("jobDefaults");
        assertThatThrownBy(() -> new BackupJobs(TestAgentConfig.withJobDefaults("{\"ttlSecondsAfterFinished\": 5}")))
                .hasMessageContaining("jobDefaults.ttlSecondsAfterFinished must be at least 60");
        assertThatThrownBy(() -> new BackupJobs(TestAgentConfig.withJobDefaults("{\"podAnnotations\": {\"backtrack.io/x\": \"y\"}}")))
                .hasMessageContaining("jobDefaults.podAnnotations may not set backtrack.io/x");
    }

    @Test
    void aTtlBelowAMinuteIsRefusedOnTheResource() {
        JobSettings own = new JobSettings(null, null, null, null, null, null, null, null, null, null, 30);
        assertThat(BackupValidator.problems(withJob(own).getSpec()))
                .anySatisfy(p -> assertThat(p).contains("job.ttlSecondsAfterFinished must be at least 60"));
    }

    private static Backup withJob(JobSettings job) {
        BackupSpec s = TestBackups.backup().getSpec();
        return TestBackups.backup("orders-before-migration", new BackupSpec(s.description(), s.database(), s.storage(),
                s.storageRef(), s.compression(), s.scope(), s.deletionPolicy(), s.ttl(), job, s.roles()));
    }

    private static io.backtrack.api.storage.S3Storage s3(Backup backup) {
        return backup.getSpec().storage().s3();
    }
}
