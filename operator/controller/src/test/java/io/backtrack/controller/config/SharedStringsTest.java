package io.backtrack.controller.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedStringsTest {
    private static final String LONG_MESSAGE = "x".repeat(SharedStrings.MAX_SHARED_LENGTH + 1);

    private static Backup read(String name) {
        ObjectMapper mapper = new ObjectMapper();
        new SharedStrings().customize(mapper);
        String json = """
                {"apiVersion":"backtrack.io/v1alpha1","kind":"Backup",
                 "metadata":{"name":"%s","namespace":"shop","labels":{"team":"orders"},"finalizers":["f"]},
                 "spec":{"database":{"host":"pg.shop.svc","database":"orders",
                                     "credentialsSecret":{"name":"pg-credentials"}},
                         "storage":{"s3":{"endpoint":"http://minio:9000","bucket":"db-backups",
                                          "credentialsSecret":{"name":"s3-credentials"}}}},
                 "status":{"phase":"Failed","message":"%s"}}""".formatted(name, LONG_MESSAGE);
        return new KubernetesSerialization(mapper, true).unmarshal(json, Backup.class);
    }

    @Test
    void repeatedValuesOfCachedObjectsAreOneStringShortUniqueOnesStayCorrect() {
        Backup a = read("nightly-1");
        Backup b = read("nightly-2");
        assertThat(a.getMetadata().getNamespace()).isEqualTo("shop").isSameAs(b.getMetadata().getNamespace());
        assertThat(a.getMetadata().getLabels().get("team")).isSameAs(b.getMetadata().getLabels().get("team"));
        assertThat(a.getMetadata().getFinalizers().get(0)).isSameAs(b.getMetadata().getFinalizers().get(0));
        assertThat(a.getSpec().database().host()).isEqualTo("pg.shop.svc").isSameAs(b.getSpec().database().host());
        assertThat(a.getSpec().storage().s3().bucket()).isSameAs(b.getSpec().storage().s3().bucket());
        assertThat(a.getMetadata().getName()).isEqualTo("nightly-1");
        assertThat(b.getMetadata().getName()).isEqualTo("nightly-2");
        assertThat(a.getStatus().message()).as("long strings are not interned").isEqualTo(LONG_MESSAGE)
                .isNotSameAs(b.getStatus().message());
    }
}
