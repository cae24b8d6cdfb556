package io.backtrack.controller.backup;

import io.backtrack.controller.job.JobOutcome;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** Turns a failed agent Job into a condition reason and a message a person can act on. */
record FailureCause(String reason, String message) {

    static FailureCause of(JobOutcome outcome, String jobName, Job job) {
        var result = outcome.result();
        if (result != null && result.reason() != null) {
            return new FailureCause(result.reason(), result.message());
        }
        if ("DeadlineExceeded".equals(outcome.jobFailureReason())) {
            Long deadline = job.getSpec() == null ? null : job.getSpec().getActiveDeadlineSeconds();
            return new FailureCause("DeadlineExceeded", "Job " + jobName + " ran longer than activeDeadlineSeconds="
                    + deadline + " and was stopped; raise spec.job.activeDeadlineSeconds if the database needs longer");
        }
        String lastLog = result != null && result.message() != null ? ": " + result.message() : "";
        return new FailureCause("JobFailed", "Job " + jobName + " failed without a result ("
                + (outcome.jobFailureReason() == null ? "unknown" : outcome.jobFailureReason()) + ")" + lastLog
                + "; see kubectl logs job/" + jobName);
    }
}
