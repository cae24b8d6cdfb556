package io.backtrack.e2e.cluster;

import io.backtrack.e2e.harness.RepoPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, built from the
 * pinned upstream Go modules by {@code e2e/controlplane/}) as a child process: {@code backtrack-controlplane up}.
 * Its stdin is a pipe from this JVM: closing it, or this JVM dying, stops the control plane and every process it
 * started; {@code --cleanup} then removes its directory (etcd's data, certificates, logs).
 */
public final class ControlPlane implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static Path binary;

    private final Process process;
    private final Path dir;
    private final Path stderr;
    private final String server;
    private final Path kubeconfig;
    private final KubernetesClient client;

    private ControlPlane(Process process, Path dir, Path stderr, String server, Path kubeconfig) {
        this.process = process;
        this.dir = dir;
        this.stderr = stderr;
        this.server = server;
        this.kubeconfig = kubeconfig;
        this.client = newClient(kubeconfig);
    }

    /**
     * The control-plane binary: {@code e2e/controlplane/build.sh} builds it once per source change into the user's
     * cache (about a second when it is there; 5-10 minutes the first time, with progress on stderr) and prints its
     * path. Maven's e2e build runs the same script first, so in {@code ./mvnw verify} this finds it built.
     */
    public static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        Path script = RepoPaths.root().resolve("e2e/controlplane/build.sh");
        try {
            Process build = new ProcessBuilder("bash", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            build.getOutputStream().close();
            List<String> lines = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            int exit = build.waitFor();
            if (exit != 0 || lines.isEmpty()) {
                throw new IllegalStateException(script + " failed (exit " + exit + "; its reason is on stderr above). "
                        + "The end-to-end tests need the Kubernetes control plane it builds with Go 1.26+ "
                        + "(/usr/local/go/bin/go, go on PATH, or GO=/path/to/go).");
            }
            binary = Path.of(lines.get(lines.size() - 1).strip());
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a control plane in {@code dir} (created; removed again on {@link #close()}); apiserver on a free port. */
    public static ControlPlane start(Path dir) {
        return start(dir, 0);
    }

    /** As {@link #start(Path)}, the API server on {@code apiServerPort} (0: a free one). */
    public static ControlPlane start(Path dir, int apiServerPort) {
        try {
            Files.createDirectories(dir);
            Path stderr = dir.resolveSibling(dir.getFileName() + ".log");
            List<String> command = new ArrayList<>(List.of(binary().toString(), "up", "--dir", dir.toString(),
                    "--exit-on-stdin-close", "--cleanup"));
            if (apiServerPort != 0) {
                command.add("--apiserver-port=" + apiServerPort);
            }
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(stderr.toFile())).start();
            String ready = readyLine(process, stderr);
            String server = field(ready, "server=");
            Path kubeconfig = Path.of(field(ready, "kubeconfig="));
            return new ControlPlane(process, dir, stderr, server, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the control plane in " + dir, e);
        }
    }

    private static String readyLine(Process process, Path stderr) {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String ready = line.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
            if (ready != null && ready.startsWith("ready ")) {
                return ready;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // reported below
        }
        process.destroy();
        throw new IllegalStateException("the control plane did not start within " + STARTUP + ":\n" + tail(stderr, 4000));
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name)) {
                return part.substring(name.length());
            }
        }
        throw new IllegalStateException("no " + name + " in \"" + line + "\"");
    }

    /** A new client authenticated by {@code kubeconfig} (no other configuration of this machine is read). */
    public static KubernetesClient newClient(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            config.setHttp2Disable(true);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
    }

    /** The admin client (group system:masters); closed with the control plane. */
    public KubernetesClient client() {
        return client;
    }

    /** The API server's URL, e.g. {@code https://127.0.0.1:40123}. */
    public String url() {
        return server;
    }

    /** The admin kubeconfig (token and CA embedded). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The cluster's CA certificate (PEM), which signed the API server's serving certificate. */
    public Path caCertificate() {
        return dir.resolve("pki/ca.crt");
    }

    public Path directory() {
        return dir;
    }

    /** The log of a component: etcd, kube-apiserver, kube-controller-manager or kube-scheduler. */
    public Path log(String component) {
        return dir.resolve("logs/" + component + ".log");
    }

    /** Output of a {@link #kubectl} run. */
    public record KubectlResult(int exit, String out, String err) {
        /** This result, when kubectl exited 0; otherwise an exception with its output. */
        public KubectlResult ok() {
            if (exit != 0) {
                throw new IllegalStateException("kubectl exited with " + exit + ": " + err + out);
            }
            return this;
        }
    }

    /** Runs the bundled kubectl (the control plane's own version) with the admin kubeconfig. */
    public KubectlResult kubectl(String... args) {
        return kubectlWithInput(null, args);
    }

    /** As {@link #kubectl(String...)}, with {@code stdin} as its standard input (e.g. a manifest for {@code -f -}). */
    public KubectlResult kubectlWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish within 2 minutes");
            }
            return new KubectlResult(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kubectl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates or updates (server-side apply) every CustomResourceDefinition in the {@code *.yaml}/{@code *.yml} files
     * of {@code dir} exactly as they are, and waits until the API server serves them (Established). A CRD the API
     * server refuses (an invalid schema, a CEL rule that does not compile) fails here with the server's message.
     */
    public List<CustomResourceDefinition> applyCrds(Path dir) {
        List<CustomResourceDefinition> applied = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(ControlPlane::isManifest).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (HasMetadata item : client.load(in).items()) {
                        if (item instanceof CustomResourceDefinition crd) {
                            applied.add(client.resource(crd).fieldManager("backtrack-e2e").forceConflicts().serverSideApply());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CRDs from " + dir, e);
        }
        for (CustomResourceDefinition crd : applied) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream().anyMatch(s -> "Established".equals(s.getType())
                                    && "True".equals(s.getStatus())), 60, TimeUnit.SECONDS);
        }
        return applied;
    }

    /** Stops etcd and the Kubernetes components (their own orderly shutdown, ~3 s) and removes the directory. */
    @Override
    public void close() {
        client.close();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException e) {
            // a leftover log file is harmless
        }
    }

    private static boolean isManifest(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String tail(Path file, int max) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "";
            return text.length() > max ? text.substring(text.length() - max) : text;
        } catch (IOException e) {
            return "";
        }
    }
}
