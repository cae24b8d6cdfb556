package io.backtrack.e2e.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.RepoPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Backtrack without a cluster: PostgreSQL with a sample database, S3Proxy, the mock API server, the operator
 * and the local Job runner, then the example manifests applied and followed to their final phase.
 * Run through e2e/sandbox.sh.
 */
public final class Sandbox {
    static final String NAMESPACE = "sandbox";
    static final String BUCKET = "db-backups";
    static final String DATABASE = "shop";
    static final String EXPECT_ANNOTATION = "backtrack.io/sandbox-expect";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        boolean keep = false;
        List<Path> manifests = new ArrayList<>(examples());
        for (String arg : args) {
            if (arg.equals("--keep")) {
                keep = true;
            } else if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println("usage: e2e/sandbox.sh [--keep] [MANIFEST...]");
                return;
            } else {
                manifests.add(Path.of(arg).toAbsolutePath());
            }
        }
        var ports = new BacktrackEnvironment.Ports(port("BACKTRACK_SANDBOX_PG_PORT", 15432),
                port("BACKTRACK_SANDBOX_S3_PORT", 19000), port("BACKTRACK_SANDBOX_API_PORT", 18080));
        say("starting PostgreSQL on :" + ports.postgres() + ", S3Proxy on :" + ports.s3() + ", the mock API server on :"
                + ports.apiServer() + ", the operator and the local Job runner ...");
        int exit;
        try (BacktrackEnvironment env = BacktrackEnvironment.start(ports)) {
            env.prepare(NAMESPACE, BUCKET, DATABASE);
            printConnection(env);
            Map<String, String> vars = Map.of(
                    "SANDBOX_PG_HOST", env.postgres().host(),
                    "SANDBOX_PG_PORT", Integer.toString(env.postgres().port()),
                    "SANDBOX_S3_ENDPOINT", env.s3().endpoint(),
                    "SANDBOX_BUCKET", BUCKET);
            List<Tracked> tracked = new ArrayList<>();
            for (Path manifest : manifests) {
                tracked.addAll(apply(env, manifest, vars));
            }
            follow(env, tracked);
            exit = report(env, tracked);
            if (keep) {
                say("--keep: everything stays up; API server " + env.cluster().url() + ". Press Ctrl-C to stop.");
                Thread.currentThread().join();
            }
        }
        System.exit(exit);
    }

    private static List<Path> examples() throws IOException {
        Path dir = RepoPaths.root().resolve("manifests/examples/sandbox");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<Tracked> apply(BacktrackEnvironment env, Path manifest, Map<String, String> vars) throws IOException {
        String text = Files.readString(manifest);
        for (var v : vars.entrySet()) {
            text = text.replace("${" + v.getKey() + "}", v.getValue());
        }
        List<Tracked> tracked = new ArrayList<>();
        List<HasMetadata> items = env.client().load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items();
        for (HasMetadata item : items) {
            String ns = item.getMetadata().getNamespace() != null ? item.getMetadata().getNamespace() : NAMESPACE;
            if (ns.equals(NAMESPACE) || env.client().namespaces().withName(ns).get() == null) {
                env.namespace(ns);
            }
            item.getMetadata().setNamespace(ns);
            env.client().resource(item).inNamespace(ns).createOr(existing -> existing.update());
            say("applied " + item.getKind() + " " + ns + "/" + item.getMetadata().getName() + " from " + manifest.getFileName());
            if (item.getApiVersion() != null && item.getApiVersion().startsWith("backtrack.io/")) {
                String expect = item.getMetadata().getAnnotations() == null ? null : item.getMetadata().getAnnotations().get(EXPECT_ANNOTATION);
                tracked.add(new Tracked(item.getApiVersion(), item.getKind(), ns, item.getMetadata().getName(), expect));
            }
        }
        return tracked;
    }

    private static void follow(BacktrackEnvironment env, List<Tracked> tracked) {
        Map<Tracked, String> phases = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            boolean allDone = true;
            for (Tracked t : tracked) {
                String phase = t.phase(env);
                if (!phase.equals(phases.get(t))) {
                    say(t.kind() + " " + t.namespace() + "/" + t.name() + ": " + phases.getOrDefault(t, "-") + " -> " + phase);
                    phases.put(t, phase);
                }
                allDone &= Tracked.TERMINAL.contains(phase);
            }
            if (allDone) {
                return;
            }
            sleep(250);
        }
        say("timed out after " + TIMEOUT + " waiting for every resource to finish");
    }

    private static int report(BacktrackEnvironment env, List<Tracked> tracked) throws IOException {
        int exit = 0;
        for (Tracked t : tracked) {
            GenericKubernetesResource r = t.get(env);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("kind", t.kind());
            line.put("namespace", t.namespace());
            line.put("name", t.name());
            String phase = t.phase(env);
            line.put("phase", phase);
            line.put("status", r == null ? null : r.getAdditionalProperties().get("status"));
            System.out.println(JSON.writeValueAsString(line));
            if ("Backup".equals(t.kind()) && "Completed".equals(phase)) {
                checkWithSha256sum(env, r);
            }
            if (ScheduleProgress.isSchedule(t) && !ScheduleProgress.report(env, t, BUCKET)) {
                exit = 1;
            }
            String expected = t.expect() == null ? "Completed" : t.expect();
            if (!phase.equals(expected)) {
                System.err.println("sandbox: " + t.kind() + " " + t.namespace() + "/" + t.name() + " ended " + phase
                        + ", expected " + expected);
                exit = 1;
            }
        }
        return exit;
    }

    /** The user's own check: sha256sum of the object's file in S3Proxy's store against status.archive.sha256. */
    @SuppressWarnings("unchecked")
    private static void checkWithSha256sum(BacktrackEnvironment env, GenericKubernetesResource backup) throws IOException {
        Map<String, Object> status = (Map<String, Object>) backup.getAdditionalProperties().get("status");
        Map<String, Object> archive = (Map<String, Object>) status.get("archive");
        Path file = env.s3().dataDirectory().resolve(archive.get("bucket").toString()).resolve(archive.get("archiveKey").toString());
        Process p = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean same = out.startsWith(archive.get("sha256").toString());
        say("$ sha256sum " + file + "\n" + out + "\n" + (same ? "matches" : "DOES NOT MATCH") + " status.archive.sha256 of "
                + backup.getMetadata().getName());
    }

    private static void printConnection(BacktrackEnvironment env) {
        say("PostgreSQL: host " + env.postgres().host() + " port " + env.postgres().port() + " user "
                + env.postgres().superuser() + " password " + env.postgres().password() + " database " + DATABASE);
        say("S3: endpoint " + env.s3().endpoint() + " bucket " + BUCKET + " AWS_ACCESS_KEY_ID=" + env.s3().accessKey()
                + " AWS_SECRET_ACCESS_KEY=" + env.s3().secretKey());
        say("S3 objects are plain files under " + env.s3().dataDirectory() + "/" + BUCKET + " (check them with sha256sum)");
        say("Kubernetes API (mock): " + env.cluster().url() + "; operator log: " + env.operator().logFile());
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
    }

    static void say(String line) {
        System.err.println("sandbox: " + line);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
