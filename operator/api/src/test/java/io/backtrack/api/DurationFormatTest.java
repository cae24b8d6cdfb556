package io.backtrack.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.backtrack.contract.durations.Durations;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One duration format for ttl and maxAge: the CRD schema (crds/, as users apply it) and the contract's parser, which the
 * operator and the agent read durations with, accept and refuse exactly the same values, so nothing the API server
 * lets through leaves a resource without status.
 */
class DurationFormatTest {
    private static final Map<String, Duration> VALID = Map.of("720h", Duration.ofHours(720), "90m",
            Duration.ofMinutes(90), "1h30m", Duration.ofMinutes(90), "30s", Duration.ofSeconds(30),
            "2h3m4s", Duration.ofSeconds(7384), "1m1s", Duration.ofSeconds(61), "0s", Duration.ZERO);
    private static final List<String> INVALID = List.of("1.5h", "30m1h", "1h1h", "1d", "h", "720", "-1h",
            "1h 30m", "5ms", "1H", "PT1H", " 1h", "1s1m");

    @Test
    void theParserReadsExactlyTheValidOnes() {
        VALID.forEach((text, duration) -> assertThat(Durations.parseOptional(text, "ttl")).as(text).contains(duration));
        for (String bad : INVALID) {
            assertThatThrownBy(() -> Durations.parse(bad, "ttl")).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("720h");
        }
    }

    @Test
    void theCrdSchemaAcceptsExactlyWhatTheParserReads() throws IOException {
        List<Pattern> patterns = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String crd : List.of("backups.backtrack.io-v1.yml", "backupschedules.backtrack.io-v1.yml")) {
            JsonNode root = yaml.readTree(Path.of("../../crds", crd).toFile());
            collect(root, List.of("ttl", "maxAge"), false, patterns);
        }
        assertThat(patterns).as("ttl in Backup and in the schedule's template, retention.maxAge").hasSize(3);
        for (Pattern p : patterns) {
            VALID.keySet().forEach(v -> assertThat(p.matcher(v).matches()).as(p + " " + v).isTrue());
            INVALID.forEach(v -> assertThat(p.matcher(v).matches()).as(p + " " + v).isFalse());
        }
    }

    private static void collect(JsonNode node, List<String> fields, boolean wanted, List<Pattern> into) {
        if (wanted && node.has("pattern")) {
            into.add(Pattern.compile(node.get("pattern").asText()));
        }
        node.fields().forEachRemaining(e -> collect(e.getValue(), fields,
                fields.contains(e.getKey()) && e.getValue().isObject() && e.getValue().has("type"), into));
        if (node.isArray()) {
            node.forEach(n -> collect(n, fields, false, into));
        }
    }
}
