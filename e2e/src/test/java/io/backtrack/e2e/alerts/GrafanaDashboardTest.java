package io.backtrack.e2e.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.e2e.harness.RepoPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's Grafana dashboard (helm/backtrack/files/grafana-dashboard.json): every panel query is PromQL that
 * promtool accepts (wrapped as recording rules, the dashboard's variables filled in) and reads only metrics
 * docs/metrics.md documents, from the data source the user picks.
 */
class GrafanaDashboardTest {
    static final Path DASHBOARD = RepoPaths.root().resolve("helm/backtrack/files/grafana-dashboard.json");
    static final Pattern METRIC = Pattern.compile("\\bbacktrack_[a-z_]+");

    @Test
    void everyQueryIsValidPromqlOverDocumentedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("backtrack-overview");
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as("data source of %s", panel.path("title"))
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("queries of %s", panel.path("title")).isNotEmpty();
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        assertThat(queries).hasSizeGreaterThan(15);

        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            String promql = queries.get(i).replace("$namespace", ".*");
            assertThat(promql).as("a Grafana variable promtool cannot read").doesNotContain("$");
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                    .append(promql.replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("grafana-dashboard-queries", ".yaml");
        try {
            Files.writeString(file, rules);
            PrometheusRulesTest.Result r = PrometheusRulesTest.run(PrometheusRulesTest.promtoolOrFail(), "check", "rules",
                    file.toString());
            assertThat(r.exit()).as("promtool check rules on the dashboard's queries:\n%s\n%s", r.output(), rules).isZero();
        } finally {
            Files.deleteIfExists(file);
        }

        String docs = Files.readString(RepoPaths.root().resolve("docs/metrics.md"));
        Set<String> used = new TreeSet<>();
        for (String q : queries) {
            for (Matcher m = METRIC.matcher(q); m.find(); ) {
                used.add(m.group());
            }
        }
        // A histogram's series (_bucket, _count, _sum, _max) are documented under the histogram's name.
        assertThat(used).hasSizeGreaterThan(10).allSatisfy(metric -> assertThat(docs.contains("| `" + metric + "` |")
                || docs.contains("| `" + metric.replaceAll("_(bucket|count|sum|max)$", "") + "` | histogram"))
                .as("docs/metrics.md documents %s", metric).isTrue());
    }
}
