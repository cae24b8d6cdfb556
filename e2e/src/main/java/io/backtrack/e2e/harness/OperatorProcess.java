package io.backtrack.e2e.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real operator (the Quarkus application as built) running as its own process against the API server, with the
 * credentials of a kubeconfig (in the harness: its ServiceAccount's token, {@link OperatorInstall}), so a test can
 * kill it mid-backup and start it again, exactly like a container restart.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Quarkus logs the port it bound, also when QUARKUS_HTTP_PORT=0 picked a free one. */
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^\\s]*:(\\d+)");

    private final Path kubeconfig;
    private final Path logFile;
    private final Map<String, String> extraEnv;
    private final List<String> jvmOptions;
    /** Settings on top of {@link #extraEnv} from the next start on, see {@link #settings(Map)}. */
    private Map<String, String> settings = Map.of();
    private Process process;
    private int starts;
    private long startOffset;

    public OperatorProcess(Path kubeconfig, Path logDir, Map<String, String> extraEnv) {
        this(kubeconfig, logDir, extraEnv, List.of("-Xmx256m"));
    }

    /** {@code jvmOptions}: the JVM's options in place of the tests' {@code -Xmx256m}. */
    public OperatorProcess(Path kubeconfig, Path logDir, Map<String, String> extraEnv, List<String> jvmOptions) {
        this.kubeconfig = kubeconfig;
        this.logFile = logDir.resolve("operator.log");
        this.extraEnv = extraEnv;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    public synchronized OperatorProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(logFile.getParent());
            long offset = Files.exists(logFile) ? Files.size(logFile) : 0;
            startOffset = offset;
            List<String> command = new ArrayList<>(List.of(javaBinary()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", RepoPaths.operatorJar().toString()));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            Map<String, String> env = pb.environment();
            // Nothing of this machine's Kubernetes configuration leaks in: the API server, its CA and the token all
            // come from this kubeconfig, as they come from the mounted ServiceAccount in a Pod.
            env.keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("QUARKUS_KUBERNETES_CLIENT_"));
            env.put("KUBECONFIG", kubeconfig.toString());
            env.putAll(extraEnv);
            // Test-only: a free port instead of the chart's 8080, so that several operators (and test JVMs) fit on one
            // machine; tests read the port from the log (httpPort()).
            env.put("QUARKUS_HTTP_PORT", "0");
            env.putAll(settings);
            process = pb.start();
            starts++;
            awaitStarted(offset);
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator: " + e.getMessage(), e);
        }
    }

    /** Environment variables for the operator's next start, on top of the harness's; an empty map: none. */
    public synchronized void settings(Map<String, String> next) {
        settings = Map.copyOf(next);
    }

    /** A crash: no shutdown hooks, nothing flushed, like a node losing power under the Pod. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM (Quarkus' orderly shutdown), then SIGKILL after 15 s. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            waitFor();
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The operator's process, while it runs (to see how it exits). */
    public synchronized Process process() {
        return process;
    }

    /** The HTTP port of the running operator (metrics at /q/metrics, health at /q/health), read from its log. */
    public synchronized int httpPort() {
        String log = log();
        String since = log.length() > startOffset ? log.substring((int) startOffset) : "";
        Matcher m = LISTENING.matcher(since);
        int port = -1;
        while (m.find()) {
            port = Integer.parseInt(m.group(1));
        }
        if (port < 0) {
            throw new IllegalStateException("the operator's log names no HTTP port (\"Listening on: http://…:PORT\"):\n" + tail(since));
        }
        return port;
    }

    /**
     * GET a path of the operator's HTTP server, e.g. /q/metrics; returns the status code and body. Over HTTP/1.1, as
     * Prometheus and the kubelet's probes ask: the JDK client's default offers an h2c upgrade, which Vert.x accepts,
     * and a CI run once read the HTTP/1.1 text of a metrics page as an HTTP/2 frame (a protocol error, no answer).
     */
    public HttpResult get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new HttpResult(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " from the operator failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record HttpResult(int status, String body) {
    }

    /** The kubeconfig the operator authenticates with. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    public int starts() {
        return starts;
    }

    public Path logFile() {
        return logFile;
    }

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitStarted(long offset) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            String since = log().length() > offset ? log().substring((int) offset) : "";
            if (since.contains("started in")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with " + process.exitValue() + " during startup:\n" + tail(since));
            }
            sleep(200);
        }
        throw new IllegalStateException("the operator did not start within " + STARTUP + ":\n" + tail(log()));
    }

    private void waitFor() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
