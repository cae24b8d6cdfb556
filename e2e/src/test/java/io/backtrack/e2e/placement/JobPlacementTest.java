package io.backtrack.e2e.placement;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.job.JobSettings;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Job settings on the real API server: a namespace whose ResourceQuota demands CPU and memory requests and limits
 * (enforced by the quota admission) runs a Backup that sets no spec.job resources at all, since the chart's
 * jobDefaults give its Pod all four; and the CRD refuses Pod labels that are the operator's.
 */
class JobPlacementTest {
    static final String NS = "quota";
    static final String BUCKET = "quota";

    static BacktrackEnvironment env;
    static BackupFactory backups;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, "shop");
        backups = BackupFactory.of(env, "shop", BUCKET);
        env.client().resource(new ResourceQuotaBuilder().withNewMetadata().withName("compute").withNamespace(NS).endMetadata()
                .withNewSpec()
                .addToHard("requests.cpu", new Quantity("4")).addToHard("requests.memory", new Quantity("4Gi"))
                .addToHard("limits.cpu", new Quantity("8")).addToHard("limits.memory", new Quantity("8Gi"))
                .endSpec().build()).create();
        env.await("the quota's usage computed", () -> {
            var quota = env.client().resourceQuotas().inNamespace(NS).withName("compute").get();
            return quota.getStatus() != null && quota.getStatus().getHard() != null && !quota.getStatus().getHard().isEmpty();
        }, Duration.ofSeconds(60));
    }

    @Test
    void aBackupWithoutJobResourcesGetsItsPodAdmittedFromTheChartDefaultsAlone() {
        // The quota is enforced: a Pod without limits (Pod Security restricted otherwise) is refused, as a Job's Pod
        // without them would be.
        assertThatThrownBy(() -> env.client().resource(new PodBuilder().withNewMetadata().withName("bare").withNamespace(NS)
                .endMetadata().withNewSpec()
                .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault")
                .endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("c").withImage("busybox").withNewSecurityContext()
                .withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext().endContainer().endSpec()
                .build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                .hasMessageContaining("must specify");

        Backup backup = backups.build(NS, "within-quota");
        assertThat(backup.getSpec().job().resources()).isNull();
        env.client().resource(backup).create();

        Backup done = env.awaitBackup(NS, "within-quota", b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), Duration.ofSeconds(180));
        assertThat(done.getStatus().phase()).as("status %s\nevents: %s\npods: %s", done.getStatus(),
                env.client().v1().events().inNamespace(NS).list().getItems().stream()
                        .map(e -> e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage()).toList(),
                env.client().pods().inNamespace(NS).list().getItems().stream()
                        .map(p -> p.getMetadata().getName() + " " + p.getStatus()).toList())
                .isEqualTo(BackupPhase.Completed);
        List<Pod> pods = env.client().pods().inNamespace(NS).withLabel("job-name", done.getStatus().jobName()).list().getItems();
        assertThat(pods).isNotEmpty().allSatisfy(p -> {
            var resources = p.getSpec().getContainers().get(0).getResources();
            assertThat(resources.getRequests()).containsKeys("cpu", "memory");
            assertThat(resources.getLimits()).containsKeys("cpu", "memory");
        });
    }

    @Test
    void theCrdRefusesPodLabelsAndAnnotationsThatAreTheOperators() {
        String backup = Serialization.asYaml(backups.withJob(new JobSettings(null, null, null, null, null, null, null, null,
                Map.of("backtrack.io/x", "y"), Map.of("job-name", "mine"), 30)).build(NS, "refused"));
        var r = env.kubectlWithInput(backup, "apply", "--dry-run=server", "--server-side", "-f", "-");
        assertThat(r.exit()).as("%s", r).isNotZero();
        assertThat(r.err()).contains("podAnnotations under backtrack.io/ are the operator's")
                .contains("podLabels may not set the labels").contains("ttlSecondsAfterFinished");
    }
}
