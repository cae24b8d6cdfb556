package io.backtrack.api.job;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/**
 * Settings of the Job that runs the agent. Each one left out comes from the operator's defaults (the Helm chart's
 * {@code jobDefaults}); a BackupSchedule's {@code backupTemplate.spec.job} is the job of every Backup it creates.
 */
// On the type, not the components: a record component's annotation reaches the generator twice (field and accessor).
@ValidationRule(value = "!has(self.podAnnotations) || self.podAnnotations.all(k, !k.startsWith('backtrack.io/'))",
        message = "podAnnotations under backtrack.io/ are the operator's")
@ValidationRule(value = "!has(self.podLabels) || self.podLabels.all(k, !k.startsWith('backtrack.io/') && k != 'app.kubernetes.io/managed-by' && k != 'job-name' && k != 'controller-uid' && !k.startsWith('batch.kubernetes.io/'))",
        message = "podLabels may not set the labels the operator and the Job controller set (backtrack.io/*, app.kubernetes.io/managed-by, job-name, controller-uid, batch.kubernetes.io/*)")
public record JobSettings(
        @Min(1) @JsonPropertyDescription("Seconds the Job may run before Kubernetes stops it. Default: the chart's jobDefaults, else 3600.")
        Long activeDeadlineSeconds,
        @Min(0) @JsonPropertyDescription("Retries of an attempt that was killed (a signal, out of memory) before the Job is marked failed; a failure the agent reports with a reason, or a usage error, is never retried. Each retry writes to the same folder. Default: the chart's jobDefaults, else 2.")
        Integer backoffLimit,
        @JsonPropertyDescription("CPU and memory requests and limits of the agent container, merged key by key over the chart's jobDefaults.resources: a resource that sets only limits.memory keeps the default requests and CPU limit.")
        ResourceRequirements resources,
        @JsonPropertyDescription("Node selector of the agent Pod; replaces the chart's default one.")
        Map<String, String> nodeSelector,
        @JsonPropertyDescription("Tolerations of the agent Pod; replace the chart's default ones.")
        List<Toleration> tolerations,
        @JsonPropertyDescription("Affinity of the agent Pod (node affinity, Pod affinity and anti-affinity); replaces the chart's default one.")
        Affinity affinity,
        @JsonPropertyDescription("PriorityClass of the agent Pod; default: the chart's jobDefaults, else none.")
        String priorityClassName,
        @JsonPropertyDescription("ServiceAccount of the agent Pod, in the resource's namespace (e.g. one bound to a cloud identity for S3); default: the chart's jobDefaults, else the namespace's default. Its API token is never mounted: the agent needs no Kubernetes API access.")
        String serviceAccountName,
        @JsonPropertyDescription("Annotations on the agent Pod (e.g. sidecar.istio.io/inject: \"false\"), added to the chart's jobDefaults.podAnnotations; a key set here wins.")
        Map<String, String> podAnnotations,
        @JsonPropertyDescription("Labels on the agent Pod, added to the chart's jobDefaults.podLabels; a key set here wins. The operator's own labels cannot be set.")
        Map<String, String> podLabels,
        @Min(60) @JsonPropertyDescription("Seconds after it finished that Kubernetes deletes the Job and its Pod (ttlSecondsAfterFinished). At least 60, so that the operator has read the agent's result before; default: the chart's jobDefaults, else kept until the resource is deleted.")
        Integer ttlSecondsAfterFinished) {

    /** No settings: every one from the operator's defaults. */
    public static final JobSettings NONE = new JobSettings(null, null, null, null, null, null, null, null, null, null, null);

    /** The deadline and retries only, the rest from the operator's defaults. */
    public static JobSettings limits(Long activeDeadlineSeconds, Integer backoffLimit) {
        return new JobSettings(activeDeadlineSeconds, backoffLimit, null, null, null, null, null, null, null, null, null);
    }
}
