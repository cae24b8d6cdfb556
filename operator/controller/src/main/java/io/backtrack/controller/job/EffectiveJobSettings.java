package io.backtrack.controller.job;

import io.backtrack.api.job.JobSettings;
import io.backtrack.controller.config.BacktrackConfig;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** A resource's spec.job with the operator's defaults filled in. */
public record EffectiveJobSettings(long activeDeadlineSeconds, int backoffLimit, ResourceRequirements resources,
                                   Map<String, String> nodeSelector, List<Toleration> tolerations) {

    public static EffectiveJobSettings of(JobSettings spec, BacktrackConfig.Agent defaults) {
        JobSettings s = spec == null ? new JobSettings(null, null, null, null, null) : spec;
        return new EffectiveJobSettings(
                s.activeDeadlineSeconds() != null ? s.activeDeadlineSeconds() : defaults.activeDeadlineSeconds(),
                s.backoffLimit() != null ? s.backoffLimit() : defaults.backoffLimit(),
                s.resources(),
                s.nodeSelector() == null ? Map.of() : s.nodeSelector(),
                s.tolerations() == null ? List.of() : s.tolerations());
    }
}
