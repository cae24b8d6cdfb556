package io.backtrack.api.job;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** Settings of the Job that runs the agent. */
public record JobSettings(
        @Min(1) @JsonPropertyDescription("Seconds the Job may run before Kubernetes stops it. Default: 3600.")
        Long activeDeadlineSeconds,
        @Min(0) @JsonPropertyDescription("Retries of an attempt that was killed (a signal, out of memory) before the Job is marked failed; a failure the agent reports with a reason, or a usage error, is never retried. Each retry writes to the same folder. Default: 2.")
        Integer backoffLimit,
        @JsonPropertyDescription("CPU and memory requests and limits of the agent container.")
        ResourceRequirements resources,
        @JsonPropertyDescription("Node selector of the agent Pod.")
        Map<String, String> nodeSelector,
        @JsonPropertyDescription("Tolerations of the agent Pod.")
        List<Toleration> tolerations) {
}
