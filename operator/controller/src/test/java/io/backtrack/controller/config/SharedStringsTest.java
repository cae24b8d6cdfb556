package io.backtrack.controller.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedStringsTest {
    private static final String LONG_MESSAGE = "x".repeat(SharedStrings.MAX_SHARED_LENGTH + 1);
    private static final String WAITING = "no node can take the agent Pod nightly-1-5d420-fwgs8 now: 0/3 nodes are "
            + "available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 "
            + "Preemption is not helpful for scheduling.; it starts once one can (check spec.job nodeSelector, "
            + "tolerations, affinity, resources and priorityClassName, or the chart's jobDefaults)";

    private static Backup read(String json) {
        ObjectMapper mapper = new ObjectMapper();
        new SharedStrings().customize(mapper);
        return new KubernetesSerialization(mapper, true).unmarshal(json, Backup.class);
    }

    private static Backup named(String name) {
        return read("""
                {"apiVersion":"backtrack.io/v1alpha1","kind":"Backup",
                 "metadata":{"name":"%s","namespace":"shop","labels":{"team":"orders"},"finalizers":["f"]},
                 "spec":{"database":{"host":"pg.shop.svc","database":"orders",
                                     "credentialsSecret":{"name":"pg-credentials"}},
                         "storage":{"s3":{"endpoint":"http://minio:9000","bucket":"db-backups",
                                          "credentialsSecret":{"name":"s3-credentials"}}}},
                 "status":{"phase":"Failed","message":"%s"}}""".formatted(name, LONG_MESSAGE));
    }

    @Test
    void repeatedValuesOfCachedObjectsAreOneStringShortUniqueOnesStayCorrect() {
        Backup a = named("nightly-1");
        Backup b = named("nightly-2");
        assertThat(a.getMetadata().getNamespace()).isEqualTo("shop").isSameAs(b.getMetadata().getNamespace());
        assertThat(a.getMetadata().getLabels().get("team")).isSameAs(b.getMetadata().getLabels().get("team"));
        assertThat(a.getMetadata().getFinalizers().get(0)).isSameAs(b.getMetadata().getFinalizers().get(0));
        assertThat(a.getSpec().database().host()).isEqualTo("pg.shop.svc").isSameAs(b.getSpec().database().host());
        assertThat(a.getSpec().storage().s3().bucket()).isSameAs(b.getSpec().storage().s3().bucket());
        assertThat(a.getMetadata().getName()).isEqualTo("nightly-1");
        assertThat(b.getMetadata().getName()).isEqualTo("nightly-2");
        assertThat(a.getStatus().message()).as("longer than any message: not interned").isEqualTo(LONG_MESSAGE)
                .isNotSameAs(b.getStatus().message());
    }

    @Test
    void aMessageInTheStatusAndInEachConditionIsOneString() {
        String condition = """
                {"type":"%s","status":"False","reason":"Unschedulable","message":"%s",
                 "lastTransitionTime":"2026-12-06T19:12:18.357615623Z","observedGeneration":1}""";
        Backup backup = read("""
                {"apiVersion":"backtrack.io/v1alpha1","kind":"Backup","metadata":{"name":"nightly-1","namespace":"shop"},
                 "status":{"phase":"Pending","message":"%s","conditions":[%s,%s]}}""".formatted(WAITING,
                condition.formatted("Ready", WAITING), condition.formatted("Stalled", WAITING)));
        assertThat(backup.getStatus().message()).isEqualTo(WAITING)
                .isSameAs(backup.getStatus().conditions().get(0).getMessage())
                .isSameAs(backup.getStatus().conditions().get(1).getMessage());
    }
}
