package io.backtrack.e2e.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** `./backtrack up` picks Helm when a cluster answers, kubectl without helm, and the sandbox without a cluster. */
class BacktrackUpTest {
    @TempDir
    Path bin;

    record Result(int exit, String out, String err) {
    }

    @Test
    void aClusterThatAnswersGetsTheHelmInstall() throws Exception {
        tool("kubectl", 0);
        tool("helm", 0);
        Result r = up("--dry-run", "--set", "replicaCount=2");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("helm upgrade --install backtrack helm/backtrack --namespace backtrack-system "
                + "--create-namespace --set replicaCount=2");
    }

    @Test
    void withoutHelmKubectlAppliesTheInstallManifest() throws Exception {
        tool("kubectl", 0);
        Result r = up("--dry-run");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("kubectl apply --server-side -f manifests/install.yaml");
    }

    @Test
    void noClusterMeansTheSandbox() throws Exception {
        tool("kubectl", 1);
        tool("helm", 0);
        Result r = up("--dry-run", "--keep");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("e2e/sandbox.sh --keep");
        assertThat(r.err()).contains("sandbox");

        Result forced = up("--dry-run", "--cluster");
        assertThat(forced.exit()).isEqualTo(1);
        assertThat(forced.err()).contains("no Kubernetes cluster answers");
    }

    @Test
    void noKubectlAtAllMeansTheSandbox() throws Exception {
        Result r = up("--dry-run");
        assertThat(r.out().strip()).isEqualTo("e2e/sandbox.sh");
    }

    private void tool(String name, int exit) throws IOException {
        Path tool = bin.resolve(name);
        Files.writeString(tool, "#!/bin/sh\nexit " + exit + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result up(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ChartFixture.root().resolve("backtrack").toString(), "up"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // PATH holds the fake tools and the few programs the script itself runs, never a real kubectl or helm.
        for (String basic : List.of("bash", "dirname", "awk")) {
            Path link = bin.resolve(basic);
            if (!Files.exists(link)) {
                Path real = Stream.of("/usr/bin", "/bin").map(d -> Path.of(d, basic)).filter(Files::isExecutable).findFirst()
                        .orElseThrow(() -> new IllegalStateException(basic + " not found"));
                Files.createSymbolicLink(link, real);
            }
        }
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err);
    }
}
