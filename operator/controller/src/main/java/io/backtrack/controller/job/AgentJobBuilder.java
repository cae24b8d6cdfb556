package io.backtrack.controller.job;

import io.backtrack.api.BacktrackApi;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.controller.config.BacktrackConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pod settings every agent Job shares (k8up's MutateBatchJob): non-root, read-only root filesystem,
 * no capabilities, no service-account token, an emptyDir at /tmp, termination message for the result.
 */
public final class AgentJobBuilder {
    public static final String CONTAINER = "agent";
    public static final String TERMINATION_LOG = "/dev/termination-log";
    /** Exit codes of the agent that no retry can change: 1, a failure with a reason in the result; 2, a usage error. */
    static final List<Integer> FINAL_EXIT_CODES = List.of(1, 2);
    /**
     * Retry only what a retry can fix (DESIGN.md §7). Rules apply in order: a Pod disrupted by an eviction,
     * preemption, node drain or node loss (condition DisruptionTarget) is replaced without counting against
     * backoffLimit; an agent that reported a failure (exit 1) or a usage error (exit 2) fails the Job at once, so
     * the first real reason stays the Job's outcome (a retried swap verification would otherwise find its side
     * database dropped and report DatabaseNotFound); anything else (a signal, an OOM kill) counts and is retried.
     */
    private static PodFailurePolicy failurePolicy() {
        return new PodFailurePolicyBuilder()
                .addNewRule().withAction("Ignore")
                .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                .endRule()
                .addNewRule().withAction("FailJob")
                .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("In").withValues(FINAL_EXIT_CODES).endOnExitCodes()
                .endRule()
                .build();
    }

    private final BacktrackConfig.Agent config;

    public AgentJobBuilder(BacktrackConfig.Agent config) {
        this.config = config;
    }

    public Job build(AgentJob job) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(BacktrackApi.MANAGED_BY_LABEL, BacktrackApi.MANAGED_BY);
        labels.putAll(job.labels());
        List<EnvVar> env = new ArrayList<>(job.env());
        env.add(new EnvVarBuilder().withName(AgentEnv.TERMINATION_LOG).withValue(TERMINATION_LOG).build());
        EffectiveJobSettings settings = job.settings();
        var owner = job.owner();
        return new JobBuilder()
                .withNewMetadata()
                .withName(job.name())
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(owner.getApiVersion())
                        .withKind(owner.getKind())
                        .withName(owner.getMetadata().getName())
                        .withUid(owner.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(settings.backoffLimit())
                .withActiveDeadlineSeconds(settings.activeDeadlineSeconds())
                .withPodFailurePolicy(failurePolicy())
                // A replacement Pod starts only once the failed one has stopped: never two agents on one folder.
                .withPodReplacementPolicy("Failed")
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .withServiceAccountName(config.serviceAccountName().orElse(null))
                .withNodeSelector(settings.nodeSelector().isEmpty() ? null : settings.nodeSelector())
                .withTolerations(settings.tolerations())
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(config.runAsUser())
                .withRunAsGroup(config.runAsUser())
                .withFsGroup(config.runAsUser())
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(config.image())
                .withImagePullPolicy(config.imagePullPolicy())
                .withArgs(job.args())
                .withEnv(env)
                .withResources(settings.resources())
                .withTerminationMessagePath(TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext()
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    public static EnvVar fromSecret(String variable, String secretName, String key) {
        return new EnvVarBuilder()
                .withName(variable)
                .withNewValueFrom()
                .withNewSecretKeyRef().withName(secretName).withKey(key).withOptional(false).endSecretKeyRef()
                .endValueFrom()
                .build();
    }
}
