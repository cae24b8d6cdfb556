package io.backtrack.e2e.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.e2e.cluster.ControlPlane;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.RepoPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Backtrack without a cluster: PostgreSQL with a sample database, S3Proxy, the real Kubernetes control plane with a
 * node runner standing in for the kubelet, and the operator with the Helm chart's RBAC; then the example manifests
 * (and any given) applied and followed to their final phase, each reported as one line of JSON. With {@code --keep}
 * everything stays up until Ctrl-C, for kubectl. Ctrl-C (or the end) stops every process it started and removes its
 * files. Run through e2e/sandbox.sh, which documents the options.
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
            } else if (arg.startsWith("-")) {
                System.err.println("sandbox: unknown option " + arg + " (see e2e/sandbox.sh --help)");
                System.exit(2);
            } else {
                manifests.add(Path.of(arg).toAbsolutePath());
            }
        }
        var ports = new BacktrackEnvironment.Ports(port("BACKTRACK_SANDBOX_PG_PORT", 15432),
                port("BACKTRACK_SANDBOX_S3_PORT", 19000), port("BACKTRACK_SANDBOX_API_PORT", 16443));
        List<String> taken = PortOwners.taken(Map.of(ports.postgres(), "PostgreSQL (BACKTRACK_SANDBOX_PG_PORT)",
                ports.s3(), "S3 (BACKTRACK_SANDBOX_S3_PORT)", ports.apiServer(), "the Kubernetes API server (BACKTRACK_SANDBOX_API_PORT)"));
        if (!taken.isEmpty()) {
            taken.forEach(line -> System.err.println("sandbox: " + line));
            System.exit(1);
        }
        Duration stall = Duration.ofSeconds(port("BACKTRACK_SANDBOX_STALL_SECONDS", 120));
        Instant t0 = Instant.now();
        BacktrackEnvironment env = BacktrackEnvironment.start(ports, Sandbox::say);
        // Ctrl-C, or the end: stop every process started above and remove their files (within ~30 s).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("stopping PostgreSQL, S3Proxy, the operator, the node and the control plane, removing their files ...");
            env.close();
        }, "sandbox-stop"));
        env.prepare(NAMESPACE, BUCKET, DATABASE);
        say(String.format("up in %d s", Duration.between(t0, Instant.now()).toSeconds()));
        printKubeconfig(env);
        if (keep) {
            printConnection(env);
        }
        Map<String, String> vars = Map.of(
                "SANDBOX_PG_HOST", env.postgres().host(),
                "SANDBOX_PG_PORT", Integer.toString(env.postgres().port()),
                "SANDBOX_S3_ENDPOINT", env.s3().endpoint(),
                "SANDBOX_BUCKET", BUCKET);
        List<Tracked> tracked = new ArrayList<>();
        for (Path manifest : manifests) {
            tracked.addAll(apply(env, manifest, vars));
        }
        Map<Tracked, String> stalled = follow(env, tracked, stall);
        int exit = report(env, tracked, stalled);
        if (keep) {
            say("--keep: everything stays up until Ctrl-C (then it is all stopped and removed).");
            Thread.currentThread().join();
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

    /**
     * Follows every resource to a final phase; one whose status has not changed for {@code stall} is given up on and
     * returned with why (its status, and the state of its Job's Pods), rather than waited for.
     */
    private static Map<Tracked, String> follow(BacktrackEnvironment env, List<Tracked> tracked, Duration stall) {
        Map<Tracked, String> phases = new LinkedHashMap<>();
        Map<Tracked, String> statuses = new HashMap<>();
        Map<Tracked, Instant> lastChange = new HashMap<>();
        Map<Tracked, String> stalled = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            boolean allDone = true;
            for (Tracked t : tracked) {
                if (stalled.containsKey(t)) {
                    continue;
                }
                String phase = t.phase(env);
                if (!phase.equals(phases.get(t))) {
                    say(t.kind() + " " + t.namespace() + "/" + t.name() + ": " + phases.getOrDefault(t, "-") + " -> " + phase);
                    phases.put(t, phase);
                }
                if (Tracked.TERMINAL.contains(phase)) {
                    continue;
                }
                GenericKubernetesResource r = t.get(env);
                String status = r == null ? null : String.valueOf(r.getAdditionalProperties().get("status"));
                if (!Objects.equals(status, statuses.get(t)) || !lastChange.containsKey(t)) {
                    statuses.put(t, status);
                    lastChange.put(t, Instant.now());
                } else if (Duration.between(lastChange.get(t), Instant.now()).compareTo(stall) > 0) {
                    String why = stuck(env, t, r, stall);
                    say(why);
                    stalled.put(t, why);
                    continue;
                }
                allDone = false;
            }
            if (allDone) {
                return stalled;
            }
            sleep(250);
        }
        say("timed out after " + TIMEOUT + " waiting for every resource to finish");
        return stalled;
    }

    /** What a resource that made no progress shows: its phase and conditions, and where its Job's Pods are stuck. */
    @SuppressWarnings("unchecked")
    private static String stuck(BacktrackEnvironment env, Tracked t, GenericKubernetesResource r, Duration stall) {
        StringBuilder why = new StringBuilder(t.kind() + " " + t.namespace() + "/" + t.name() + " made no progress for "
                + stall.toSeconds() + " s; phase " + t.phase(env));
        Map<String, Object> status = r == null ? null : (Map<String, Object>) r.getAdditionalProperties().get("status");
        if (status != null && status.get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                Map<String, Object> condition = (Map<String, Object>) c;
                why.append("; ").append(condition.get("type")).append('=').append(condition.get("status"))
                        .append(' ').append(condition.get("reason")).append(": ").append(condition.get("message"));
            }
        }
        Object job = status == null ? null : status.get("jobName");
        if (job != null) {
            for (Pod pod : env.client().pods().inNamespace(t.namespace()).withLabel("job-name", job.toString()).list().getItems()) {
                why.append("; Pod ").append(pod.getMetadata().getName()).append(' ').append(pod.getStatus().getPhase());
                pod.getStatus().getConditions().stream().filter(c -> "False".equals(c.getStatus()) && c.getReason() != null)
                        .forEach(c -> why.append(", ").append(c.getType()).append(' ').append(c.getReason()).append(": ")
                                .append(c.getMessage()));
                pod.getStatus().getContainerStatuses().stream().filter(c -> c.getState().getWaiting() != null)
                        .forEach(c -> why.append(", waiting ").append(c.getState().getWaiting().getReason()).append(": ")
                                .append(c.getState().getWaiting().getMessage()));
            }
        }
        return why.toString();
    }

    private static int report(BacktrackEnvironment env, List<Tracked> tracked, Map<Tracked, String> stalled) throws IOException {
        int exit = 0;
        for (Tracked t : tracked) {
            GenericKubernetesResource r = t.get(env);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("kind", t.kind());
            line.put("namespace", t.namespace());
            line.put("name", t.name());
            String phase = t.phase(env);
            line.put("phase", phase);
            if (stalled.containsKey(t)) {
                line.put("stalled", stalled.get(t));
            }
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
        say("sha256sum of the archive in S3Proxy's store " + (same ? "matches" : "DOES NOT MATCH")
                + " status.archive.sha256 of " + backup.getMetadata().getName() + ": " + out.split(" ")[0]);
    }

    /** How to use any kubectl (or the bundled one) with the sandbox's cluster while it runs. */
    private static void printKubeconfig(BacktrackEnvironment env) throws IOException {
        ControlPlane cluster = env.cluster();
        Path bin = Files.createDirectories(cluster.directory().resolve("bin"));
        Path kubectl = bin.resolve("kubectl");
        if (!Files.exists(kubectl)) {
            Files.createSymbolicLink(kubectl, ControlPlane.binary());
        }
        say("Kubernetes " + env.client().getKubernetesVersion().getGitVersion() + " at " + cluster.url()
                + " (admin); kubectl of the same version: " + kubectl + ". In another shell:");
        System.out.println("export KUBECONFIG=" + cluster.kubeconfig() + " PATH=" + bin + ":$PATH");
    }

    /** Only with --keep: valid until Ctrl-C, when the servers and their files go. */
    private static void printConnection(BacktrackEnvironment env) {
        say("until Ctrl-C: PostgreSQL at " + env.postgres().host() + ":" + env.postgres().port() + " (user "
                + env.postgres().superuser() + ", password " + env.postgres().password() + ", database " + DATABASE
                + "); S3 at " + env.s3().endpoint() + " (bucket " + BUCKET + ", AWS_ACCESS_KEY_ID=" + env.s3().accessKey()
                + " AWS_SECRET_ACCESS_KEY=" + env.s3().secretKey() + "; objects are files under " + env.s3().dataDirectory()
                + "); the operator's log: " + env.operator().logFile() + "; Pod logs: " + env.runner().logDir());
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
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
