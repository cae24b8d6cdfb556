package io.backtrack.agent.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestCodecTest {

    static Manifest sample() {
        return new Manifest(1, "0.1.0", "postgresql", "15.14", "pg_dump (PostgreSQL) 15.14", "orders", "shop",
                "orders-nightly", null, "nightly", new ManifestScope(List.of("public.orders"), List.of(), List.of(), false),
                "prod/shop/orders-nightly/archive.pgdump.zst", "custom", new CompressionSpec("zstd", 3), 48213,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                List.of(new TableRows("public", "orders", 12)), 12, null, null, null,
                Instant.parse("2026-11-22T02:00:00Z"), Instant.parse("2026-11-22T02:00:12.400Z"));
    }

    @Test
    void writesTheFlatContractOfDesignSection7() throws Exception {
        byte[] bytes = ManifestCodec.toBytes(sample());
        JsonNode node = new ObjectMapper().readTree(bytes);
        assertThat(node.fieldNames()).toIterable().containsExactly("formatVersion", "backtrackVersion", "engine",
                "serverVersion", "toolVersion", "database", "namespace", "backup", "schedule", "description", "scope",
                "archiveKey", "format", "compression", "sizeBytes", "sha256", "tables", "rows", "largeObjects",
                "unverified", "roles", "startedAt", "completedAt");
        assertThat(node.get("schedule").isNull()).isTrue();
        assertThat(node.get("startedAt").asText()).isEqualTo("2026-11-22T02:00:00Z");
        assertThat(node.get("completedAt").asText()).isEqualTo("2026-11-22T02:00:12.400Z");
        assertThat(node.get("compression").get("algorithm").asText()).isEqualTo("zstd");
        assertThat(node.get("compression").get("level").asInt()).isEqualTo(3);
        assertThat(node.get("scope").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("tables", "excludeTables", "schemas", "schemaOnly");
        assertThat(node.get("tables").get(0).get("rows").asLong()).isEqualTo(12);
        // a table's kind is left out, as manifests before it had none
        assertThat(node.get("tables").get(0).has("kind")).isFalse();
    }

    @Test
    void readsManifestsFromBeforeLargeObjectsKindsAndRolesWereRecorded() throws Exception {
        String old = new String(ManifestCodec.toBytes(sample()), StandardCharsets.UTF_8)
                .replace("\"largeObjects\" : null,", "").replace("\"unverified\" : [ ],", "")
                .replace("\"roles\" : null,", "");
        assertThat(old).doesNotContain("largeObjects").doesNotContain("unverified").doesNotContain("roles");
        Manifest read = ManifestCodec.fromBytes(old.getBytes(StandardCharsets.UTF_8));
        assertThat(read.largeObjects()).isNull();
        assertThat(read.roles()).isNull();
        assertThat(read.unverified()).isEmpty();
        assertThat(read.tables().get(0).materializedView()).isFalse();
        String matview = new String(ManifestCodec.toBytes(sample()), StandardCharsets.UTF_8)
                .replace("\"rows\" : 12\n", "\"rows\" : 12,\n      \"kind\" : \"materializedView\"\n");
        assertThat(ManifestCodec.fromBytes(matview.getBytes(StandardCharsets.UTF_8)).tables().get(0)
                .materializedView()).isTrue();
    }

    @Test
    void readsWhatItWritesAndToleratesNewFields() throws Exception {
        assertThat(ManifestCodec.fromBytes(ManifestCodec.toBytes(sample()))).isEqualTo(sample());
        String withExtra = new String(ManifestCodec.toBytes(sample()), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"addedLater\": 1,");
        assertThat(ManifestCodec.fromBytes(withExtra.getBytes(StandardCharsets.UTF_8)).sha256())
                .isEqualTo(sample().sha256());
    }

    @Test
    void anEncryptedArchivesManifestNamesItsRecipientsAfterTheCompression() throws Exception {
        Manifest s = sample();
        Manifest encrypted = new Manifest(s.formatVersion(), s.backtrackVersion(), s.engine(), s.serverVersion(),
                s.toolVersion(), s.database(), s.namespace(), s.backup(), s.schedule(), s.description(), s.scope(),
                "prod/shop/orders-nightly/archive-20261122T020000Z-1a2b3c4d.pgdump.zst.age", s.format(),
                s.compression(), s.sizeBytes(), s.sha256(), s.tables(), s.rows(), s.largeObjects(), s.unverified(),
                s.roles(), s.startedAt(), s.completedAt(), "age",
                List.of("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"));
        JsonNode node = new ObjectMapper().readTree(ManifestCodec.toBytes(encrypted));
        assertThat(node.fieldNames()).toIterable().containsSubsequence("compression", "encryption", "recipients",
                "sizeBytes");
        assertThat(ManifestCodec.fromBytes(ManifestCodec.toBytes(encrypted))).isEqualTo(encrypted);
        assertThat(encrypted.encrypted()).isTrue();
        assertThat(sample().encrypted()).isFalse();
        // A manifest that lost the field still never hands ciphertext to the decompressor as if it were the dump.
        String lost = new String(ManifestCodec.toBytes(encrypted), StandardCharsets.UTF_8)
                .replace("\"encryption\" : \"age\",", "");
        assertThat(ManifestCodec.fromBytes(lost.getBytes(StandardCharsets.UTF_8)).encrypted()).isTrue();
    }

    @Test
    void refusesOtherFormatVersions() {
        String v2 = new String(ManifestCodec.toBytes(sample()), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : 1", "\"formatVersion\" : 2");
        assertThatThrownBy(() -> ManifestCodec.fromBytes(v2.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("formatVersion 2");
    }
}
