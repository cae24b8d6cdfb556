package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PodTroubleTest {
    static final Instant STARTED = Instant.parse("2026-11-22T02:00:00Z");
    static final String IMAGE = "ghcr.io/backtrack-io/backtrack-agent:9.9.9";
    static final String SCHEDULER = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.";

    @Test
    void anImageThatCannotBePulledIsAFailureOnlyOnceTheKubeletHasRetriedForAMinute() {
        Job job = job(null);
        Pod pod = pulling("ImagePullBackOff", "Back-off pulling image \"" + IMAGE + "\"");
        assertThat(PodTrouble.of(job, List.of(pod), STARTED.plusSeconds(20))).as("a slow or flaky pull").isEmpty();
        assertThat(PodTrouble.of(job, List.of(pulling("ErrImagePull", "not found")), STARTED.plusSeconds(59))).isEmpty();

        PodTrouble trouble = PodTrouble.of(job, List.of(pod), STARTED.plusSeconds(60)).orElseThrow();
        assertThat(trouble.kind()).isEqualTo(PodTrouble.Kind.IMAGE_PULL_FAILED);
        assertThat(trouble.message()).contains(IMAGE, "node-a", "ImagePullBackOff", "Back-off pulling image",
                "agent.image", "nothing was read or written");
    }

    @Test
    void anInvalidImageNameFailsAtOnce() {
        assertThat(PodTrouble.of(job(null), List.of(pulling("InvalidImageName", "couldn't parse image")), STARTED))
                .hasValueSatisfying(t -> assertThat(t.kind()).isEqualTo(PodTrouble.Kind.IMAGE_PULL_FAILED));
    }

    @Test
    void aPodNoNodeCanTakeIsUnschedulableWithTheSchedulersMessageAndTheDeadline() {
        Pod pod = new PodBuilder().withNewMetadata().withName("orders-5f2c1-abcde").withCreationTimestamp(STARTED.toString())
                .endMetadata().withNewSpec().endSpec().withNewStatus().withPhase("Pending").addNewCondition()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage(SCHEDULER)
                .endCondition().endStatus().build();
        PodTrouble trouble = PodTrouble.of(job(600L), List.of(pod), STARTED.plusSeconds(1)).orElseThrow();
        assertThat(trouble.kind()).isEqualTo(PodTrouble.Kind.UNSCHEDULABLE);
        assertThat(trouble.message()).contains("orders-5f2c1-abcde", SCHEDULER, "activeDeadlineSeconds=600", "nodeSelector");
    }

    @Test
    void theNewestPodThatHasNotEndedDecidesAndARunningOneIsNoTrouble() {
        Pod failedAttempt = pulling("ImagePullBackOff", "old");
        failedAttempt.getStatus().setPhase("Failed");
        Pod running = new PodBuilder().withNewMetadata().withName("b").withCreationTimestamp(STARTED.plusSeconds(5).toString())
                .endMetadata().withNewSpec().withNodeName("node-a").endSpec().withNewStatus().withPhase("Running")
                .endStatus().build();
        assertThat(PodTrouble.of(job(null), List.of(failedAttempt, running), STARTED.plusSeconds(300))).isEmpty();

        Job ready = new JobBuilder(job(null)).editStatus().withReady(1).endStatus().build();
        assertThat(PodTrouble.mayBeStuck(ready)).isFalse();
        assertThat(PodTrouble.mayBeStuck(job(null))).isTrue();
        assertThat(PodTrouble.mayBeStuck(new JobBuilder(job(null)).withStatus(null).build()))
                .as("no Job controller has seen it yet: nothing to list").isFalse();
    }

    static Job job(Long deadline) {
        return new JobBuilder().withNewMetadata().withName("orders-5f2c1").withNamespace("shop").endMetadata()
                .withNewSpec().withActiveDeadlineSeconds(deadline).endSpec().withNewStatus().withActive(1).endStatus().build();
    }

    @Test
    void onlyAPodEventThatChangesWhatTheTroubleIsReadFromReconcilesItsResource() {
        Pod created = new PodBuilder().withNewMetadata().withName("c").endMetadata().withNewStatus().withPhase("Pending")
                .endStatus().build();
        assertThat(PodTrouble.Signs.of(created).any()).as("a new Pod says nothing yet").isFalse();
        assertThat(PodTrouble.Signs.of(pulling("ContainerCreating", null)).any()).as("a Pod starting normally").isFalse();
        assertThat(PodTrouble.Signs.of(pulling("ErrImagePull", "not found")).any()).isTrue();
        Pod refused = new PodBuilder(created).editStatus().addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(SCHEDULER).endCondition().endStatus().build();
        assertThat(PodTrouble.Signs.of(refused).any()).isTrue();

        assertThat(PodTrouble.Signs.of(pulling("ErrImagePull", "a")))
                .as("the kubelet's message alone is no change").isEqualTo(PodTrouble.Signs.of(pulling("ErrImagePull", "b")))
                .as("its retry is").isNotEqualTo(PodTrouble.Signs.of(pulling("ImagePullBackOff", "b")));
        Pod refusedOtherwise = new PodBuilder(refused).editStatus().editFirstCondition()
                .withMessage("0/3 nodes are available: 3 Insufficient memory.").endCondition().endStatus().build();
        assertThat(PodTrouble.Signs.of(refusedOtherwise)).as("the scheduler's new reason is shown")
                .isNotEqualTo(PodTrouble.Signs.of(refused));
    }

    static Pod pulling(String reason, String message) {
        return new PodBuilder().withNewMetadata().withName("orders-5f2c1-xyz").withCreationTimestamp(STARTED.minusSeconds(2).toString())
                .endMetadata().withNewSpec().withNodeName("node-a").endSpec()
                .withNewStatus().withPhase("Pending").withStartTime(STARTED.toString())
                .addNewContainerStatus().withName("agent").withImage(IMAGE).withNewState().withNewWaiting()
                .withReason(reason).withMessage(message).endWaiting().endState().endContainerStatus().endStatus().build();
    }
}
