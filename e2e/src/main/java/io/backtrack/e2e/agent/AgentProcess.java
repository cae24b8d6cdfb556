package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the agent as a real process, as a Job would: {@code java -jar operator/agent/target/backtrack-agent.jar
 * <args>} with exactly the environment given (plus PATH/HOME/JAVA_HOME), and collects the exit code, stdout,
 * the parsed result line and stderr.
 *
 * <pre>{@code
 * AgentProcess.Outcome out = AgentProcess.run(List.of("verify", "--endpoint", ...), Map.of("AWS_ACCESS_KEY_ID", ...));
 * out.exitCode(); out.result().get("ok").asBoolean(); out.stderr();
 * }</pre>
 */
public final class AgentProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentProcess() {
    }

    /** Exit code, raw stdout, stderr, and the parsed last stdout line (null if stdout was not JSON). */
    public record Outcome(int exitCode, String stdout, String stderr, JsonNode result) {
        public boolean ok() {
            return result != null && result.path("ok").asBoolean(false);
        }

        public String reason() {
            return result == null ? null : result.path("reason").asText(null);
        }

        public String message() {
            return result == null ? null : result.path("message").asText(null);
        }
    }

    /** How long {@link #run(List, Map)} waits for the agent before it kills it and fails the test. */
    private static final int TIMEOUT_SECONDS = 180;

    public static Outcome run(List<String> args, Map<String, String> env) {
        return run(args, env, TIMEOUT_SECONDS);
    }

    public static Outcome run(List<String> args, Map<String, String> env, int timeoutSeconds) {
        return run(List.of(), args, env, timeoutSeconds);
    }

    /**
     * As {@link #run(List, Map)}, every file the agent writes limited to {@code kib} KiB ({@code ulimit -f}): a write
     * beyond fails with EFBIG ("File too large") as one on a full disk fails with ENOSPC (the JVM ignores SIGXFSZ).
     */
    public static Outcome runWithFileSizeLimit(List<String> args, Map<String, String> env, long kib) {
        return run(List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$@\"", "bash"), args, env, TIMEOUT_SECONDS);
    }

    private static Outcome run(List<String> prefix, List<String> args, Map<String, String> env, int timeoutSeconds) {
        try {
            Process p = builder(prefix, args, env).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("agent timed out after " + timeoutSeconds + " s: " + args
                        + "\nstderr: " + err.getNow(""));
            }
            String stdout = out.join();
            return new Outcome(p.exitValue(), stdout, err.join(), parseLastLine(stdout));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the agent and returns at once, for tests that stop or kill it mid-run; its stdout and stderr go to
     * files under {@code outputDir} ({@code agent.out}, {@code agent.err}) so it never blocks on a full pipe.
     */
    public static Process start(List<String> args, Map<String, String> env, Path outputDir) throws IOException {
        Process p = builder(List.of(), args, env).redirectOutput(outputDir.resolve("agent.out").toFile())
                .redirectError(outputDir.resolve("agent.err").toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    /** Waits for an agent {@link #start(List, Map, Path) started} with its output in files, and collects it. */
    public static Outcome await(Process p, Path outputDir, int timeoutSeconds) throws IOException,
            InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("agent timed out after " + timeoutSeconds + " s: "
                    + Files.readString(outputDir.resolve("agent.err")));
        }
        String stdout = Files.readString(outputDir.resolve("agent.out"));
        return new Outcome(p.exitValue(), stdout, Files.readString(outputDir.resolve("agent.err")),
                parseLastLine(stdout));
    }

    private static ProcessBuilder builder(List<String> prefix, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(javaBinary(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar",
                agentJar().toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> childEnv = pb.environment();
        childEnv.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("JAVA_HOME")
                && !k.equals("LANG"));
        // No instance metadata here, and no traffic to 169.254.169.254: an agent without S3 keys fails at once
        // unless the test names a metadata endpoint of its own.
        childEnv.put("AWS_EC2_METADATA_DISABLED", "true");
        // Nor whatever AWS CLI profile the machine's user may have.
        childEnv.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/.aws/credentials");
        childEnv.putAll(env);
        return pb;
    }

    private static JsonNode parseLastLine(String stdout) {
        String[] lines = stdout.strip().split("\n");
        String last = lines[lines.length - 1];
        try {
            return last.startsWith("{") ? JSON.readTree(last) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code operator/agent/target/backtrack-agent.jar} under {@code backtrack.root} or an ancestor of cwd. */
    public static Path agentJar() {
        String root = System.getProperty("backtrack.root");
        List<Path> candidates = new ArrayList<>();
        if (root != null) {
            candidates.add(Path.of(root).resolve("operator/agent/target/backtrack-agent.jar"));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("operator/agent/target/backtrack-agent.jar"));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                new IllegalStateException("backtrack-agent.jar not found; build it: ./mvnw -pl operator/agent package"));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
