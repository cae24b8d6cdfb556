package io.backtrack.controller.job;

import io.backtrack.api.job.JobSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rules of spec.job the CRD's schema states (minimums, the operator's own Pod labels), checked again in code for
 * what does not pass through the API server's validation: a BackupSchedule's template before it becomes a Backup, an
 * older CRD still installed, and the chart's jobDefaults.
 */
public final class JobSettingsCheck {
    /** Below it, Kubernetes could delete a finished Job before the operator has read the agent's result. */
    public static final int MIN_TTL_SECONDS_AFTER_FINISHED = 60;
    private static final String OPERATOR_PREFIX = "backtrack.io/";
    private static final String JOB_CONTROLLER_PREFIX = "batch.kubernetes.io/";
    private static final Set<String> JOB_CONTROLLER_LABELS = Set.of("job-name", "controller-uid",
            "app.kubernetes.io/managed-by");

    private JobSettingsCheck() {
    }

    /** @param path how the settings are named in a message, e.g. "job" or "jobDefaults" */
    public static List<String> problems(JobSettings job, String path) {
        List<String> problems = new ArrayList<>();
        if (job == null) {
            return problems;
        }
        if (job.activeDeadlineSeconds() != null && job.activeDeadlineSeconds() < 1) {
            problems.add(path + ".activeDeadlineSeconds must be at least 1");
        }
        if (job.backoffLimit() != null && job.backoffLimit() < 0) {
            problems.add(path + ".backoffLimit must not be negative");
        }
        if (job.ttlSecondsAfterFinished() != null && job.ttlSecondsAfterFinished() < MIN_TTL_SECONDS_AFTER_FINISHED) {
            problems.add(path + ".ttlSecondsAfterFinished must be at least " + MIN_TTL_SECONDS_AFTER_FINISHED
                    + ", so that the operator reads the agent's result before the Job is deleted");
        }
        reserved(job.podAnnotations(), path + ".podAnnotations", k -> k.startsWith(OPERATOR_PREFIX), problems);
        reserved(job.podLabels(), path + ".podLabels", k -> k.startsWith(OPERATOR_PREFIX)
                || k.startsWith(JOB_CONTROLLER_PREFIX) || JOB_CONTROLLER_LABELS.contains(k), problems);
        return problems;
    }

    private static void reserved(Map<String, String> map, String path, Predicate<String> reserved, List<String> problems) {
        if (map != null) {
            map.keySet().stream().filter(reserved).sorted().forEach(k -> problems.add(path + " may not set " + k
                    + ": the operator or the Job controller sets it"));
        }
    }
}
