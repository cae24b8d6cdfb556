package io.backtrack.controller.job;

import io.backtrack.contract.result.BackupResult;
import io.backtrack.contract.result.RestoreResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobOutcomeTest {
    static final String VERIFICATION_FAILED = "{\"ok\":false,\"reason\":\"VerificationFailed\",\"message\":\"row counts differ: "
            + "public.customers\",\"rowsExpected\":11,\"rowsRestored\":10,\"mismatches\":[{\"schema\":\"public\","
            + "\"name\":\"customers\",\"expected\":11,\"actual\":10}]}";
    static final String NOT_FOUND = "{\"ok\":false,\"reason\":\"DatabaseNotFound\",\"message\":\"database orders_restoring_1 does not exist\"}";

    @Test
    void aRetryDoesNotHideTheFirstRealReason() {
        // Without podFailurePolicy (an older cluster), a failed swap verification is retried and the retry finds the
        // side database gone: the first failure with a reason is the one that counts.
        Job job = failed("BackoffLimitExceeded");
        List<Pod> pods = List.of(
                pod("v-2", "2026-11-22T03:00:20Z", 1, "Error", NOT_FOUND),
                pod("v-1", "2026-11-22T03:00:10Z", 1, "Error", VERIFICATION_FAILED),
                pod("v-3", "2026-11-22T03:00:30Z", 1, "Error", NOT_FOUND));
        JobOutcome outcome = JobOutcome.of(job, pods);
        assertThat(outcome.state()).isEqualTo(JobOutcome.State.FAILED);
        assertThat(outcome.result().reason()).isEqualTo("VerificationFailed");
        assertThat(outcome.result().as(RestoreResult.class).mismatches().get(0).expected()).isEqualTo(11);
        assertThat(JobFailure.of(outcome, "v", job).reason()).isEqualTo("VerificationFailed");
    }

    @Test
    void aKilledAttemptBeforeTheRealFailureDoesNotCount() {
        JobOutcome outcome = JobOutcome.of(failed("PodFailurePolicy"), List.of(
                pod("a", "2026-11-22T03:00:10Z", 137, "OOMKilled", "Exception in thread \"main\" java.lang.OutOfMemoryError"),
                pod("b", "2026-11-22T03:00:20Z", 1, "Error", VERIFICATION_FAILED)));
        assertThat(outcome.result().reason()).isEqualTo("VerificationFailed");
    }

    @Test
    void withoutAResultTheMessageNamesTheExitCodeAndNeverQuotesTheLog() {
        Job job = failed("BackoffLimitExceeded");
        JobOutcome outcome = JobOutcome.of(job, List.of(
                pod("a", "2026-11-22T03:00:10Z", 137, "OOMKilled", "COPY public.users (email) FROM stdin;\nalice@example.com")));
        JobFailure failure = JobFailure.of(outcome, "orders-5f2c1", job);
        assertThat(failure.reason()).isEqualTo("JobFailed");
        assertThat(failure.message()).contains("exit code 137", "OOMKilled", "BackoffLimitExceeded", "kubectl logs job/orders-5f2c1")
                .doesNotContain("alice").doesNotContain("COPY");
    }

    @Test
    void aSignalIsNamed() {
        Job job = failed("BackoffLimitExceeded");
        Pod killed = pod("a", "2026-11-22T03:00:10Z", 143, "Error", "");
        killed.getStatus().getContainerStatuses().get(0).getState().getTerminated().setSignal(15);
        JobFailure failure = JobFailure.of(JobOutcome.of(job, List.of(killed)), "j", job);
        assertThat(failure.message()).contains("signal 15");
    }

    @Test
    void aSuccessReadsTheSucceededPod() {
        Job job = new JobBuilder().withNewMetadata().withName("b").withNamespace("shop").endMetadata()
                .withNewStatus().addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus().build();
        JobOutcome outcome = JobOutcome.of(job, List.of(
                pod("a", "2026-11-22T03:00:10Z", 137, "OOMKilled", ""),
                pod("b", "2026-11-22T03:00:20Z", 0, "Completed", "{\"ok\":true,\"sha256\":\"abc\"}")));
        assertThat(outcome.state()).isEqualTo(JobOutcome.State.SUCCEEDED);
        assertThat(outcome.result().as(BackupResult.class).sha256()).isEqualTo("abc");
    }

    @Test
    void aRunningJobHasNoResult() {
        Job job = new JobBuilder().withNewMetadata().withName("b").endMetadata().withNewStatus().withActive(1).endStatus().build();
        assertThat(JobOutcome.of(job, List.of()).state()).isEqualTo(JobOutcome.State.RUNNING);
    }

    static Job failed(String reason) {
        return new JobBuilder().withNewMetadata().withName("v").withNamespace("shop").endMetadata()
                .withNewStatus().addNewCondition().withType("Failed").withStatus("True").withReason(reason)
                .withMessage("Job has reached the specified backoff limit").endCondition().endStatus().build();
    }

    static Pod pod(String name, String finishedAt, int exitCode, String reason, String message) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .addNewContainerStatus().withName("agent").withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).withMessage(message).withFinishedAt(finishedAt).endTerminated().endState()
                .endContainerStatus().endStatus().build();
    }
}
