package io.backtrack.e2e.kubectl;

import io.backtrack.e2e.cluster.ControlPlane.KubectlResult;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.RepoPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example in manifests/examples/ is accepted by the real API server with the CRDs from crds/, exactly as a
 * user applies it ({@code kubectl apply --dry-run=server --server-side}): schema, CEL rules and defaulting run, and
 * nothing is stored. The sandbox's examples get the values the sandbox fills into their placeholders.
 */
class ExamplesDryRunTest {
    static final Map<String, String> SANDBOX_VALUES = Map.of("${SANDBOX_PG_HOST}", "127.0.0.1", "${SANDBOX_PG_PORT}", "5432",
            "${SANDBOX_S3_ENDPOINT}", "http://127.0.0.1:9000", "${SANDBOX_BUCKET}", "db-backups");
    static final Pattern NAMESPACE = Pattern.compile("(?m)^\\s+namespace: ([a-z0-9-]+)\\s*$");

    static BacktrackEnvironment env;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
    }

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(RepoPaths.root().resolve("manifests/examples"))) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(all).isNotEmpty();
            return all;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void anExampleIsAcceptedByTheApiServer(Path example) throws IOException {
        String text = Files.readString(example);
        for (var v : SANDBOX_VALUES.entrySet()) {
            text = text.replace(v.getKey(), v.getValue());
        }
        for (Matcher m = NAMESPACE.matcher(text); m.find(); ) {
            env.namespace(m.group(1));
        }
        KubectlResult r = env.kubectlWithInput(text, "apply", "--dry-run=server", "--server-side", "-f", "-");
        assertThat(r.exit()).as("kubectl apply --dry-run=server --server-side -f %s: %s", example, r).isZero();
        assertThat(r.out()).contains("(server dry run)");
        for (String line : r.out().strip().split("\n")) {
            String object = line.substring(0, line.indexOf(' '));
            String ns = namespaceOf(text);
            assertThat(env.kubectl("get", object, "-n", ns, "--ignore-not-found", "-o", "name").out())
                    .as("%s not stored by a dry run", object).isEmpty();
        }
    }

    private static String namespaceOf(String text) {
        Matcher m = NAMESPACE.matcher(text);
        return m.find() ? m.group(1) : "default";
    }
}
