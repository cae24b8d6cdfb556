package io.backtrack.controller.job;

import io.backtrack.api.job.JobSettings;
import io.backtrack.controller.config.BacktrackConfig;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator-wide Job defaults: the Helm chart's {@code jobDefaults}, which its Deployment hands over as one JSON
 * object (BACKTRACK_AGENT_JOB_DEFAULTS) of the same shape as a resource's {@code spec.job}. Read once at start: a
 * value that does not parse stops the operator with the problem named, rather than every Job silently losing the
 * limits a ResourceQuota demands.
 */
public final class JobDefaults {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private JobDefaults() {
    }

    public static JobSettings of(BacktrackConfig.Agent config) {
        return config.jobDefaults().filter(json -> !json.isBlank()).map(JobDefaults::parse).orElse(JobSettings.NONE);
    }

    static JobSettings parse(String json) {
        JobSettings parsed;
        try {
            parsed = JSON.unmarshal(json, JobSettings.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("backtrack.agent.job-defaults (the chart's jobDefaults) is not a valid "
                    + "spec.job: " + e.getMessage(), e);
        }
        var problems = JobSettingsCheck.problems(parsed, "jobDefaults");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("backtrack.agent.job-defaults (the chart's jobDefaults): "
                    + String.join("; ", problems));
        }
        return parsed;
    }
}
