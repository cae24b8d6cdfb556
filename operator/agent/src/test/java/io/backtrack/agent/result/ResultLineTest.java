package io.backtrack.agent.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultLineTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void failureLineHasReasonAndMessage() throws Exception {
        String line = ResultLine.failure(new AgentFailure(Reason.BucketNotFound, "bucket b does not exist at http://x"))
                .toJson();
        JsonNode node = json.readTree(line);
        assertThat(node.get("ok").asBoolean()).isFalse();
        assertThat(node.get("reason").asText()).isEqualTo("BucketNotFound");
        assertThat(node.get("message").asText()).isEqualTo("bucket b does not exist at http://x");
        assertThat(line).doesNotContain("\n");
    }

    @Test
    void hugeMessagesAreCutBelowFourKiB() throws Exception {
        String message = "pg_dump: error: ".repeat(2000) + "\nline two";
        String line = ResultLine.failure(Reason.DumpFailed, message, Map.of()).toJson();
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResultLine.MAX_BYTES);
        assertThat(line).doesNotContain("\n");
        assertThat(json.readTree(line).get("reason").asText()).isEqualTo("DumpFailed");
    }

    @Test
    void longListsAreTrimmedAndFlagged() throws Exception {
        List<Map<String, Object>> mismatches = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            mismatches.add(Map.of("schema", "public", "name", "table_" + i, "expected", i, "actual", i + 1));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tables", 500);
        fields.put("mismatches", mismatches);
        String line = ResultLine.failure(Reason.VerificationFailed, "500 tables differ", fields).toJson();
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResultLine.MAX_BYTES);
        JsonNode node = json.readTree(line);
        assertThat(node.get("mismatches").size()).isBetween(1, 499);
        assertThat(node.get("mismatchesTruncated").asBoolean()).isTrue();
        assertThat(node.get("tables").asInt()).isEqualTo(500);
    }

    @Test
    void successLineKeepsFieldOrder() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("key", "prod/shop/x");
        fields.put("sizeBytes", 42L);
        String line = ResultLine.success(fields).toJson();
        assertThat(line).isEqualTo("{\"ok\":true,\"key\":\"prod/shop/x\",\"sizeBytes\":42}");
    }
}
