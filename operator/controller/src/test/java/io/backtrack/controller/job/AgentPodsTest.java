package io.backtrack.controller.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentPodsTest {
    private static Pod read(String spec, String status) {
        return new KubernetesSerialization().unmarshal("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"nightly-5d420-fwgs8","namespace":"shop",
                  "resourceVersion":"446","creationTimestamp":"2026-12-06T19:12:18Z",
                  "labels":{"job-name":"nightly-5d420"},
                  "ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"nightly-5d420","uid":"823a8974",
                    "controller":true,"blockOwnerDeletion":true}]},
                 "spec":%s,"status":%s}""".formatted(spec, status), Pod.class);
    }

    @Test
    void keepsWhatPodTroubleReadsOfAPodNoNodeTakes() {
        Pod pod = read("""
                {"containers":[{"name":"agent","image":"backtrack-agent"}],"restartPolicy":"Never"}""", """
                {"phase":"Pending","qosClass":"Burstable","conditions":[{"type":"PodScheduled","status":"False",
                  "reason":"Unschedulable","message":"0/3 nodes are available",
                  "lastTransitionTime":"2026-12-06T19:12:18Z"}]}""");

        Pod kept = AgentPods.kept(pod);

        assertThat(kept.getMetadata().getName()).isEqualTo("nightly-5d420-fwgs8");
        assertThat(kept.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("446");
        assertThat(kept.getMetadata().getCreationTimestamp()).isEqualTo("2026-12-06T19:12:18Z");
        assertThat(kept.getMetadata().getOwnerReferences()).isEqualTo(pod.getMetadata().getOwnerReferences());
        assertThat(kept.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(kept.getStatus().getConditions()).isEqualTo(pod.getStatus().getConditions());
        assertThat(PodTrouble.Signs.of(kept)).isEqualTo(PodTrouble.Signs.of(pod));
        assertThat(kept.getSpec()).as("not bound to a node: nothing of the spec").isNull();
        assertThat(kept.getMetadata().getLabels()).isEmpty();
        assertThat(kept.getStatus().getQosClass()).isNull();
        assertThat(kept.getStatus().getContainerStatuses()).isEmpty();
    }

    @Test
    void keepsTheNodeAndContainerStatusesOfAPodThatCannotPullItsImage() {
        Pod pod = read("""
                {"nodeName":"node-1","containers":[{"name":"agent","image":"backtrack-agent:typo"}]}""", """
                {"phase":"Pending","startTime":"2026-12-06T19:12:19Z","containerStatuses":[{"name":"agent",
                  "image":"backtrack-agent:typo","imageID":"","ready":false,"restartCount":0,
                  "state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image"}}}]}""");

        Pod kept = AgentPods.kept(pod);

        assertThat(kept.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(kept.getSpec().getContainers()).isEmpty();
        assertThat(kept.getStatus().getStartTime()).isEqualTo("2026-12-06T19:12:19Z");
        assertThat(kept.getStatus().getContainerStatuses()).isEqualTo(pod.getStatus().getContainerStatuses());
        assertThat(PodTrouble.Signs.of(kept)).isEqualTo(PodTrouble.Signs.of(pod));
    }
}
