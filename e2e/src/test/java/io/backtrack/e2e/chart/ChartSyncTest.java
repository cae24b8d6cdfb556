package io.backtrack.e2e.chart;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.backtrack.e2e.chart.ChartFixture.at;
import static io.backtrack.e2e.chart.ChartFixture.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps what is written in several places equal to its one source: image names and version (root pom.xml
 * backtrack.image.* and project version) in the chart, the operator's default agent image, the Dockerfiles and the
 * docs; the chart's CRDs (crds/); and the operator settings the chart sets (BacktrackConfig, LeaderElection).
 * Run with -Dbacktrack.updateChart=true to copy crds/ into the chart.
 */
class ChartSyncTest {
    private static final String VERSION = System.getProperty("backtrack.version");
    private static final String REGISTRY = System.getProperty("backtrack.image.registry");
    private static final String AGENT = System.getProperty("backtrack.image.agent");
    private static final String CONTROLLER = System.getProperty("backtrack.image.controller");
    private static final String TAG = System.getProperty("backtrack.image.tag");
    private static final Path CONTROLLER_SRC = Path.of("operator/controller/src/main");

    @Test
    void imageNamesAndVersionComeFromTheRootPom() throws IOException {
        assertThat(List.of(VERSION, REGISTRY, AGENT, CONTROLLER, TAG)).as("system properties from e2e/pom.xml")
                .doesNotContainNull();
        assertThat(TAG).isEqualTo(VERSION);
        Map<String, Object> chart = ChartFixture.readYaml(ChartFixture.chart().resolve("Chart.yaml"));
        assertThat(chart.get("version")).as("Chart.yaml version").isEqualTo(VERSION);
        assertThat(chart.get("appVersion")).as("Chart.yaml appVersion").isEqualTo(TAG);
        assertThat((String) at(chart, "annotations", "backtrack.io/images"))
                .contains(REGISTRY + "/" + CONTROLLER, REGISTRY + "/" + AGENT);

        Map<String, Object> values = ChartFixture.readYaml(ChartFixture.chart().resolve("values.yaml"));
        assertThat((String) at(values, "image", "registry")).isEqualTo(REGISTRY);
        assertThat((String) at(values, "image", "repository")).isEqualTo(CONTROLLER);
        assertThat((String) at(values, "image", "tag")).as("empty: the chart's appVersion").isEmpty();
        assertThat((String) at(values, "agent", "image", "registry")).isEqualTo(REGISTRY);
        assertThat((String) at(values, "agent", "image", "repository")).isEqualTo(AGENT);
        assertThat((String) at(values, "agent", "image", "tag")).as("empty: the chart's appVersion").isEmpty();

        String agentImage = REGISTRY + "/" + AGENT + ":" + TAG;
        assertThat(operatorProperties().getProperty("backtrack.agent.image"))
                .as("backtrack.agent.image in operator/controller/src/main/resources/application.properties")
                .isEqualTo(agentImage);
        assertThat(ChartFixture.render().operatorEnv()).containsEntry("BACKTRACK_AGENT_IMAGE", agentImage);

        String imagesDoc = Files.readString(root().resolve("docs/images.md"));
        assertThat(imagesDoc).contains("backtrack.image.registry", "backtrack.image.agent", "backtrack.image.controller",
                REGISTRY + "/" + AGENT, REGISTRY + "/" + CONTROLLER, "operator/agent/Dockerfile", "operator/controller/Dockerfile");
    }

    @Test
    void dockerfilesPinTheirBaseImagesAndRunAsNonRoot() throws IOException {
        for (String module : List.of("agent", "controller")) {
            String dockerfile = Files.readString(root().resolve("operator/" + module + "/Dockerfile"));
            Map<String, String> args = new LinkedHashMap<>();
            for (Matcher m = Pattern.compile("(?m)^ARG (\\w+)=(\\S+)$").matcher(dockerfile); m.find(); ) {
                args.put(m.group(1), m.group(2));
            }
            List<String> froms = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile).results().map(r -> r.group(1)).toList();
            assertThat(froms).as("%s stages", module).hasSizeGreaterThanOrEqualTo(2);
            for (String from : froms) {
                String image = from.startsWith("${") ? args.get(from.substring(2, from.length() - 1)) : from;
                assertThat(image).as("base image %s of %s", from, module).isNotNull()
                        .matches(".+:[^:/]+$|.+@sha256:[0-9a-f]{64}$").doesNotEndWith(":latest");
            }
            assertThat(dockerfile).as("%s runs as the agent's/chart's non-root UID", module).contains("USER 65532:65532");
            assertThat(args.get("RUNTIME_IMAGE")).as("%s runtime has no shell", module).startsWith("gcr.io/distroless/");
        }
        String agent = Files.readString(root().resolve("operator/agent/Dockerfile"));
        assertThat(agent).contains("apt.postgresql.org", "ARG PG_MAJORS=\"13 14 15 16 17 18\"");
        for (int major = 13; major <= 17; major++) {
            for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
                assertThat(agent).contains("RUN [\"/usr/lib/postgresql/" + major + "/bin/" + tool + "\", \"--version\"]");
            }
        }
    }

    @Test
    void chartCrdsAreTheCheckedInCrds() throws IOException {
        Path source = root().resolve("crds");
        Path chartCrds = ChartFixture.chart().resolve("crds");
        List<Path> crds = yml(source);
        assertThat(crds).isNotEmpty();
        if (Boolean.getBoolean("backtrack.updateChart")) {
            Files.createDirectories(chartCrds);
            for (Path stale : yml(chartCrds)) {
                Files.delete(stale);
            }
            for (Path crd : crds) {
                Files.copy(crd, chartCrds.resolve(crd.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        List<String> drifted = new ArrayList<>();
        for (Path crd : crds) {
            Path copy = chartCrds.resolve(crd.getFileName());
            if (!Files.exists(copy) || !Files.readString(copy).equals(Files.readString(crd))) {
                drifted.add(crd.getFileName().toString());
            }
        }
        for (Path copy : yml(chartCrds)) {
            if (!Files.exists(source.resolve(copy.getFileName()))) {
                drifted.add(copy.getFileName() + " (not in crds/)");
            }
        }
        if (!drifted.isEmpty()) {
            fail("helm/backtrack/crds differs from crds/: " + drifted
                    + ". Copy them with: ./mvnw -pl e2e test -Dtest='io/backtrack/e2e/chart/*Test' -Dbacktrack.updateChart=true");
        }
    }

    @Test
    void theChartSetsEveryAgentSettingTheOperatorHasAndNoOther() throws IOException {
        String config = Files.readString(root().resolve(CONTROLLER_SRC).resolve("java/io/backtrack/controller/config/BacktrackConfig.java"));
        Set<String> settings = settings(config, "interface Agent", "BACKTRACK_AGENT_");
        assertThat(settings).contains("BACKTRACK_AGENT_IMAGE");
        Set<String> leaderSettings = settings(config, "interface LeaderElectionSettings", "BACKTRACK_LEADER_ELECTION_");

        var out = ChartFixture.render(Map.of());
        assertThat(envWithPrefix(out.operatorEnv().keySet(), "BACKTRACK_AGENT_"))
                .as("BACKTRACK_AGENT_* the chart sets = BacktrackConfig.Agent's settings").isEqualTo(settings);
        assertThat(envWithPrefix(out.operatorEnv().keySet(), "BACKTRACK_LEADER_ELECTION_"))
                .as("BACKTRACK_LEADER_ELECTION_* the chart sets = BacktrackConfig.LeaderElectionSettings'")
                .isEqualTo(leaderSettings).hasSize(4);
    }

    /** The environment variables of one config group of BacktrackConfig, e.g. agent().image() → BACKTRACK_AGENT_IMAGE. */
    private static Set<String> settings(String config, String group, String prefix) {
        int start = config.indexOf(group);
        assertThat(start).as(group).isPositive();
        String body = config.substring(start, config.indexOf("\n    }", start));
        return Pattern.compile("\\s(\\w+)\\(\\);").matcher(body).results()
                .map(r -> prefix + kebab(r.group(1)).replace('-', '_').toUpperCase())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> envWithPrefix(Set<String> env, String prefix) {
        return env.stream().filter(k -> k.startsWith(prefix)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Properties operatorProperties() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(root().resolve(CONTROLLER_SRC).resolve("resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    private static List<Path> yml(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
