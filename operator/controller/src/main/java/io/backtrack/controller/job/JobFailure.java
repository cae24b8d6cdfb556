package io.backtrack.controller.job;

import io.backtrack.api.ConditionReason;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * Turns a failed agent Job into a condition reason and a message a person can act on.
 *
 * @param reason the agent's reason as it reported it, or the operator's ({@link ConditionReason#DeadlineExceeded},
 *               {@link ConditionReason#JobFailed}) when the agent reported none
 */
public record JobFailure(String reason, String message) {

    /** @param job the Job, for its deadline; may be null */
    public static JobFailure of(JobOutcome outcome, String jobName, Job job) {
        var result = outcome.result();
        if (result != null && result.reason() != null) {
            return new JobFailure(result.reason(), result.message());
        }
        if ("DeadlineExceeded".equals(outcome.jobFailureReason())) {
            Long deadline = job == null || job.getSpec() == null ? null : job.getSpec().getActiveDeadlineSeconds();
            return new JobFailure(ConditionReason.DeadlineExceeded.name(), "Job " + jobName + " ran longer than "
                    + "activeDeadlineSeconds=" + deadline + " and was stopped; raise spec.job.activeDeadlineSeconds if "
                    + "the database needs longer");
        }
        // Never the termination message here: without the agent's result it is the log's tail (rows, statements).
        String exit = outcome.agentExit() == null ? "" : "; the agent's container ended with " + outcome.agentExit();
        return new JobFailure(ConditionReason.JobFailed.name(), "Job " + jobName + " failed without a result ("
                + (outcome.jobFailureReason() == null ? "unknown" : outcome.jobFailureReason()) + ")" + exit
                + "; see kubectl logs job/" + jobName);
    }
}
