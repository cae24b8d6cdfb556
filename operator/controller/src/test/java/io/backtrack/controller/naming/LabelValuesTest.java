package io.backtrack.controller.naming;

import io.backtrack.api.backup.Backup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LabelValuesTest {
    static final String LONG = "orders-" + "a".repeat(240) + "-x";

    @Test
    void aNameThatFitsIsItsOwnValue() {
        assertThat(LabelValues.of("orders-nightly")).isEqualTo("orders-nightly");
        assertThat(LabelValues.of("a".repeat(63))).isEqualTo("a".repeat(63));
        assertThat(LabelValues.of(null)).isNull();
    }

    @Test
    void aLongNameIsCutAndHashedStablyIntoAValidValue() {
        String value = LabelValues.of(LONG);
        assertThat(value).hasSize(63).startsWith("orders-aaa").matches("[a-z0-9][-a-z0-9.]*[a-z0-9]");
        assertThat(LabelValues.isValid(value)).isTrue();
        assertThat(LabelValues.of(LONG)).isEqualTo(value);
        assertThat(LabelValues.of(LONG + "y")).as("names sharing their first 52 characters differ").isNotEqualTo(value);
    }

    @Test
    void textWithCharactersALabelCannotHoldIsMadeValid() {
        String value = LabelValues.of("orders-db.shop.svc:5432/orders");
        assertThat(LabelValues.isValid(value)).isTrue();
        assertThat(value).startsWith("orders-db.shop.svc-5432-orders-");
        assertThat(LabelValues.of("orders-db.shop.svc:5432/Orders")).as("case is kept apart").isNotEqualTo(value);
        assertThat(LabelValues.isValid(LabelValues.of("/:/"))).isTrue();
        assertThat(LabelValues.isValid(LabelValues.of("a.-" + "b".repeat(100) + "-.:"))).isTrue();
    }

    @Test
    void theFullNameIsKeptInAnAnnotationOfTheSameKey() {
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        LabelValues.put(labels, annotations, "backtrack.io/restore", LONG);
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName("safety").withLabels(labels).withAnnotations(annotations).build());
        assertThat(labels.get("backtrack.io/restore")).isEqualTo(LabelValues.of(LONG));
        assertThat(LabelValues.nameIn(b, "backtrack.io/restore")).isEqualTo(LONG);
        assertThat(LabelValues.names(b, "backtrack.io/restore", LONG)).isTrue();
        assertThat(LabelValues.names(b, "backtrack.io/restore", LONG + "y")).isFalse();

        Backup older = new Backup();
        older.setMetadata(new ObjectMetaBuilder().withName("old").withLabels(Map.of("backtrack.io/schedule", "nightly")).build());
        assertThat(LabelValues.nameIn(older, "backtrack.io/schedule")).as("objects from before: the label").isEqualTo("nightly");
        assertThat(LabelValues.names(older, "backtrack.io/schedule", "nightly")).isTrue();
    }
}
