package io.backtrack.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backtrack.e2e.harness.RepoPaths;
import io.backtrack.e2e.postgres.PostgresServer;
import io.backtrack.e2e.s3.S3Server;
import io.minio.ListObjectsArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data-path benchmark (issue 6, part 1): a PostgreSQL database of a chosen size with poorly compressible data,
 * S3Proxy, and in one run, alternating repetitions of
 * <ul>
 *   <li>backup: {@code backtrack-agent backup} (default settings, plus any {@code --agent-variant}) vs
 *       {@code pg_dump -Fc -Z0 > /dev/null} vs {@code pg_dump -Fc > /dev/null} vs
 *       {@code pg_dump -Fc | restic backup --stdin} into a fresh restic repository on the same S3 server;
 *   <li>restore: {@code backtrack-agent restore} (newDatabase, default verification) vs {@code pg_restore} of a
 *       local {@code -Fc -Z0} file into a fresh database.
 * </ul>
 * Writes a JSON result file; {@link PerformanceReport} turns the result files into docs/performance.md. A benchmark,
 * not a test: it never asserts on time. Run it through {@code bench/run.sh}.
 */
public final class DataPathBench {
    static final String BUCKET = "bench";
    static final String DB = "benchdb";
    static final String PIPE_CAT = "pg_dump -Fc -Z0 | cat > /dev/null";
    static final String PIPE_ZSTD = "pg_dump -Fc -Z0 | zstd -3 -T2 > /dev/null";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /**
     * The agent's JVM options as its image's entrypoint sets them (operator/agent/Dockerfile; ImageJvmOptionsTest
     * holds them equal). Also the memory the agent's large-archive test runs in.
     */
    public static final List<String> AGENT_IMAGE_JVM = List.of("-XX:MaxRAM=512m", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError");

    private final PostgresServer pg;
    private final S3Server s3;
    private final Path work;
    private final Path agentJar;
    private final String java;
    private final String pgBin;
    private final Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
    private final Map<String, Long> archiveBytes = new HashMap<>();
    private final Map<String, String> commands = new LinkedHashMap<>();
    private final List<Double> loads = new ArrayList<>();
    private boolean restores = true;
    private String note;
    private long postmasterPid = -1;
    private long s3ProxyPid = -1;

    private DataPathBench(PostgresServer pg, S3Server s3, Path work) {
        this.pg = pg;
        this.s3 = s3;
        this.work = work;
        this.agentJar = RepoPaths.agentJar();
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.pgBin = "/usr/lib/postgresql/" + pg.major() + "/bin/";
    }

    public static void main(String[] args) throws Exception {
        double sizeGb = 1.0;
        int reps = 3;
        Integer restoreReps = null;
        boolean agentOnly = false;
        boolean restores = true;
        String note = null;
        Path out = null;
        Map<String, String> variants = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size-gb" -> sizeGb = Double.parseDouble(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--restore-reps" -> restoreReps = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--agent-only" -> agentOnly = true;
                case "--no-restore" -> restores = false;
                case "--note" -> note = args[++i];
                case "--agent-variant" -> {
                    // "LABEL:TOKENS": an extra agent backup case (a lever). Tokens: NAME=VALUE sets an environment
                    // variable, -X... a JVM option, jvm=host drops the image's JVM options, jar=PATH another build,
                    // anything else an agent argument, e.g. "L3:--level 3".
                    String[] parts = args[++i].split(":", 2);
                    variants.put(parts[0], parts[1]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: DataPathBench [--size-gb N] [--reps N] [--restore-reps N] [--out FILE] "
                        + "[--agent-only] [--no-restore] [--note TEXT] [--agent-variant 'LABEL:[ENV=V] [-XJVMOPT] [jar=PATH] [AGENT-ARG]...']");
            }
        }
        if (out == null) {
            out = RepoPaths.root().resolve("bench/results/datapath-" + fmt(sizeGb) + "g.json");
        }
        Path work = Files.createTempDirectory("backtrack-bench-");
        try (PostgresServer pg = PostgresServer.start(); S3Server s3 = S3Server.startForThroughput()) {
            s3.createBucket(BUCKET);
            DataPathBench bench = new DataPathBench(pg, s3, work);
            bench.restores = restores;
            bench.note = note;
            bench.run(sizeGb, reps, restoreReps == null ? reps : restoreReps, agentOnly, variants, out);
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(double sizeGb, int reps, int restoreReps, boolean agentOnly, Map<String, String> variants,
                     Path out)
            throws Exception {
        Instant started = Instant.now();
        long target = (long) (sizeGb * (1L << 30));
        say("creating database %s of ~%.2f GiB ...", DB, sizeGb);
        long t0 = System.nanoTime();
        long dbBytes = BenchDatabase.create(pg, DB, target);
        double genSeconds = (System.nanoTime() - t0) / 1e9;
        say("database: %.0f MiB on disk (%.0f s to generate)", dbBytes / 1048576.0, genSeconds);

        postmasterPid = findPid("postgres", "-p " + pg.port());
        s3ProxyPid = ProcessHandle.current().children().filter(h -> h.info().commandLine().orElse("")
                .contains("s3proxy")).mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
        say("PostgreSQL postmaster pid %d, S3Proxy pid %d (their CPU is recorded per case)", postmasterPid, s3ProxyPid);
        Path rawDump = work.resolve("raw.pgdump");
        Path gzDump = work.resolve("gzip.pgdump");
        shell(pgBin + "pg_dump -Fc -Z0 " + connArgs(DB) + " -f " + rawDump).requireSuccess("pg_dump -Z0 to file");
        long rawBytes = Files.size(rawDump);
        long gzBytes = 0;
        if (!agentOnly) {
            shell(pgBin + "pg_dump -Fc " + connArgs(DB) + " -f " + gzDump).requireSuccess("pg_dump to file");
            gzBytes = Files.size(gzDump);
            Files.delete(gzDump);
        }
        say("raw dump (-Fc -Z0): %.0f MB; default -Fc (gzip): %.0f MB", rawBytes / 1e6, gzBytes / 1e6);

        // Backups, alternating the order of the cases from repetition to repetition.
        List<String> backupCases = new ArrayList<>(List.of("agent backup"));
        backupCases.addAll(variants.keySet().stream().map(v -> "agent backup [" + v + "]").toList());
        if (!agentOnly) {
            backupCases.addAll(List.of("pg_dump -Fc -Z0 > /dev/null", "pg_dump -Fc > /dev/null",
                    "pg_dump -Fc | restic backup --stdin", PIPE_CAT, PIPE_ZSTD));
        } else {
            backupCases.add("pg_dump -Fc -Z0 > /dev/null");
        }
        // Untimed: the first upload of a run warms S3Proxy's JIT, which the repetition that happened to go first
        // would otherwise pay for (a store on other machines has long been warm).
        say("warm-up: one agent backup, untimed");
        agentBackup("warm-up", "warm-up", "");
        removePrefix("warm-up/");
        String keptArchive = null;
        for (int rep = 1; rep <= reps; rep++) {
            for (int i = 0; i < backupCases.size(); i++) {
                String c = backupCases.get((i + rep - 1) % backupCases.size());
                String key = "agent-" + rep + "-" + Math.abs(c.hashCode());
                String variant = variants.getOrDefault(variantOf(c), "");
                markServers();
                TimedProcess t = switch (c) {
                    case "pg_dump -Fc -Z0 > /dev/null" -> timedShell(c, pgBin + "pg_dump -Fc -Z0 " + connArgs(DB) + " > /dev/null");
                    case PIPE_CAT -> timedShell(c, pgBin + "pg_dump -Fc -Z0 " + connArgs(DB) + " | cat > /dev/null");
                    case PIPE_ZSTD -> timedShell(c, pgBin + "pg_dump -Fc -Z0 " + connArgs(DB) + " | zstd -3 -T2 -q > /dev/null");
                    case "pg_dump -Fc > /dev/null" -> timedShell(c, pgBin + "pg_dump -Fc " + connArgs(DB) + " > /dev/null");
                    case "pg_dump -Fc | restic backup --stdin" -> restic(c, rep);
                    default -> agentBackup(c, key, variant);
                };
                record(c, t);
                if (c.equals("agent backup") && keptArchive == null) {
                    keptArchive = key;
                } else if (c.startsWith("agent backup")) {
                    removePrefix(key + "/");
                }
            }
        }

        // Restores into fresh databases, alternating likewise.
        List<String> restoreCases = !restores ? List.of() : agentOnly ? List.of("agent restore")
                : List.of("agent restore", "pg_restore (local -Fc -Z0 file)");
        for (int rep = 1; rep <= restoreReps; rep++) {
            for (int i = 0; i < restoreCases.size(); i++) {
                String c = restoreCases.get((i + rep - 1) % restoreCases.size());
                String target2 = "restored_" + rep + "_" + i;
                TimedProcess t;
                if (!c.equals("agent restore")) {
                    pg.createDatabase(target2);
                }
                markServers();
                if (c.equals("agent restore")) {
                    t = agent(c, List.of("restore", "--host", pg.host(), "--port", String.valueOf(pg.port()),
                            "--username", pg.superuser(), "--dbname", target2, "--endpoint", s3.endpoint(),
                            "--bucket", BUCKET, "--key", keptArchive), "");
                } else {
                    t = timedShell(c, pgBin + "pg_restore --exit-on-error --no-password " + connArgs(target2) + " "
                            + rawDump);
                }
                record(c, t);
                pg.dropDatabase(target2);
            }
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "datapath");
        result.put("startedAt", started.toString());
        result.put("completedAt", Instant.now().toString());
        result.put("machine", Machine.describe(pg));
        result.put("targetSizeGiB", sizeGb);
        result.put("databaseBytes", dbBytes);
        result.put("generateSeconds", genSeconds);
        result.put("rawDumpBytes", rawBytes);
        result.put("gzipDumpBytes", gzBytes);
        result.put("reps", reps);
        result.put("restoreReps", restoreReps);
        result.put("agentOnly", agentOnly);
        if (note != null) {
            result.put("note", note);
        }
        result.put("agentVariants", variants);
        result.put("loadAverage", Map.of("min", loads.stream().mapToDouble(d -> d).min().orElse(-1),
                "max", loads.stream().mapToDouble(d -> d).max().orElse(-1),
                "mean", loads.stream().mapToDouble(d -> d).average().orElse(-1)));
        List<Map<String, Object>> cases = new ArrayList<>();
        for (var e : runs.entrySet()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", e.getKey());
            c.put("command", commands.get(e.getKey()));
            c.put("medianSeconds", median(e.getValue().stream().mapToDouble(r -> (double) r.get("wallSeconds")).toArray()));
            c.put("peakRssKb", e.getValue().stream().mapToLong(r -> (long) r.get("maxRssKb")).max().orElse(0));
            c.put("archiveBytes", archiveBytes.get(e.getKey()));
            c.put("medianPostgresCpuSeconds", median(e.getValue().stream().mapToDouble(r -> (double) r.get("postgresCpuSeconds")).toArray()));
            c.put("medianS3proxyCpuSeconds", median(e.getValue().stream().mapToDouble(r -> (double) r.get("s3proxyCpuSeconds")).toArray()));
            c.put("runs", e.getValue());
            cases.add(c);
        }
        result.put("cases", cases);
        Files.createDirectories(out.getParent());
        JSON.writeValue(out.toFile(), result);
        say("wrote %s", out);
    }

    private static String variantOf(String c) {
        return c.startsWith("agent backup [") ? c.substring("agent backup [".length(), c.length() - 1) : "";
    }

    private TimedProcess agentBackup(String c, String key, String variant) {
        TimedProcess t = agent(c, List.of("backup", "--host", pg.host(), "--port", String.valueOf(pg.port()),
                "--username", pg.superuser(), "--dbname", DB, "--endpoint", s3.endpoint(), "--bucket", BUCKET,
                "--key", key), variant);
        try {
            JsonNode r = JSON.readTree(lastLine(t.stdout()));
            archiveBytes.put(c, r.get("sizeBytes").asLong());
        } catch (IOException e) {
            throw new IllegalStateException("agent printed no result: " + t.stdout(), e);
        }
        return t;
    }

    /** The agent as a Job runs it: {@code java -jar backtrack-agent.jar ARGS}, plus a variant's tokens. */
    private TimedProcess agent(String c, List<String> args, String variant) {
        Map<String, String> env = new HashMap<>(secrets());
        List<String> jvm = new ArrayList<>(AGENT_IMAGE_JVM);
        List<String> extraArgs = new ArrayList<>();
        String jar = agentJar.toString();
        for (String token : variant.isBlank() ? new String[0] : variant.trim().split("\\s+")) {
            if (token.matches("[A-Z_][A-Z0-9_]*=.*")) {
                env.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
            } else if (token.equals("jvm=host")) {
                jvm.removeAll(AGENT_IMAGE_JVM); // the JVM's own defaults on this host instead of the image's options
            } else if (token.startsWith("jar=")) {
                jar = token.substring(4); // another build of the agent, e.g. the previous commit's (before/after)
            } else if (token.startsWith("-X")) {
                jvm.add(token);
            } else {
                extraArgs.add(token);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar));
        cmd.addAll(args);
        cmd.addAll(extraArgs);
        commands.putIfAbsent(c, "java " + (jvm.isEmpty() ? "" : String.join(" ", jvm) + " ") + "-jar backtrack-agent.jar "
                + args.get(0) + " …" + (variant.isBlank() ? " (defaults)" : " with " + variant));
        return TimedProcess.run(cmd, env).requireSuccess(c);
    }

    private TimedProcess restic(String c, int rep) {
        String repo = "s3:" + s3.endpoint() + "/" + BUCKET + "/restic-" + rep;
        Map<String, String> env = new HashMap<>(secrets());
        env.put("RESTIC_REPOSITORY", repo);
        env.put("RESTIC_PASSWORD", "bench-restic-password");
        env.put("RESTIC_CACHE_DIR", work.resolve("restic-cache").toString());
        TimedProcess.run(List.of("restic", "init", "--quiet"), env).requireSuccess("restic init");
        commands.putIfAbsent(c, "pg_dump -Fc | restic backup --stdin --stdin-filename benchdb.pgdump (fresh repository each repetition)");
        TimedProcess t = TimedProcess.run(List.of("bash", "-c", "set -o pipefail; " + pgBin + "pg_dump -Fc "
                + connArgs(DB) + " | restic backup --quiet --stdin --stdin-filename benchdb.pgdump"), env)
                .requireSuccess(c);
        archiveBytes.put(c, sizeOfPrefix("restic-" + rep + "/"));
        removePrefix("restic-" + rep + "/");
        return t;
    }

    private TimedProcess timedShell(String c, String command) {
        commands.putIfAbsent(c, command.replace(pgBin, "").replaceAll("-h \\S+ -p \\d+ -U \\S+ ", ""));
        return shell(command).requireSuccess(c);
    }

    private TimedProcess shell(String command) {
        return TimedProcess.run(List.of("bash", "-c", "set -o pipefail; " + command), secrets());
    }

    private Map<String, String> secrets() {
        return Map.of("PGPASSWORD", pg.password(), "AWS_ACCESS_KEY_ID", s3.accessKey(),
                "AWS_SECRET_ACCESS_KEY", s3.secretKey());
    }

    private String connArgs(String db) {
        return "-h " + pg.host() + " -p " + pg.port() + " -U " + pg.superuser() + " -d " + db;
    }

    private void record(String c, TimedProcess t) {
        awaitBackendsReaped();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("wallSeconds", t.wallSeconds());
        r.put("userSeconds", t.userSeconds());
        r.put("sysSeconds", t.sysSeconds());
        r.put("maxRssKb", t.maxRssKb());
        r.put("loadAverage", t.loadAverage());
        Map<String, Double> events = agentEvents(t.stderr());
        if (!events.isEmpty()) {
            r.put("agentEventSeconds", events);
        }
        r.put("postgresCpuSeconds", (ScaleBench.cpuWithChildren(postmasterPid) - pgMark) / 100.0);
        r.put("s3proxyCpuSeconds", (ScaleBench.cpu(s3ProxyPid) - s3Mark) / 100.0);
        runs.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
        loads.add(t.loadAverage());
        say("  %-40s %7.2f s  user %6.2f  sys %5.2f  rss %5d MiB  load %.2f", c, t.wallSeconds(), t.userSeconds(),
                t.sysSeconds(), t.maxRssKb() / 1024, t.loadAverage());
    }

    /** Seconds from the agent's first log event to each later one ({@code ts=… event=…} lines on stderr). */
    static Map<String, Double> agentEvents(String stderr) {
        Map<String, Double> events = new LinkedHashMap<>();
        Matcher m = Pattern.compile("ts=(\\S+) level=\\w+ event=(\\S+)").matcher(stderr);
        Instant first = null;
        while (m.find()) {
            Instant at = Instant.parse(m.group(1));
            if (first == null) {
                first = at;
            }
            events.putIfAbsent(m.group(2), (at.toEpochMilli() - first.toEpochMilli()) / 1000.0);
        }
        return events;
    }

    /**
     * A PostgreSQL backend's CPU reaches the postmaster's cutime only once it has exited and been reaped, a moment
     * after the client's process ended: wait for that, or the next case would be charged with it.
     */
    private void awaitBackendsReaped() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long pgMark;
    private long s3Mark;

    /** Notes the servers' CPU time before a case: PostgreSQL's (postmaster plus its finished backends) and S3Proxy's. */
    private void markServers() {
        pgMark = ScaleBench.cpuWithChildren(postmasterPid);
        s3Mark = ScaleBench.cpu(s3ProxyPid);
    }

    /** The pid of the process whose command line contains both strings, or -1. */
    static long findPid(String a, String b) {
        return ProcessHandle.allProcesses().filter(h -> {
            String cmd = h.info().commandLine().orElse("");
            return cmd.contains(a) && cmd.contains(b);
        }).mapToLong(ProcessHandle::pid).min().orElse(-1);
    }

    private long sizeOfPrefix(String prefix) {
        long total = 0;
        for (Item item : items(prefix)) {
            total += item.size();
        }
        return total;
    }

    private void removePrefix(String prefix) {
        for (Item item : items(prefix)) {
            try {
                s3.client().removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object(item.objectName()).build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private List<Item> items(String prefix) {
        List<Item> items = new ArrayList<>();
        try {
            for (Result<Item> r : s3.client().listObjects(ListObjectsArgs.builder().bucket(BUCKET).prefix(prefix)
                    .recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir()) {
                    items.add(item);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return items;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    static void say(String format, Object... args) {
        System.out.println("[bench] " + String.format(format, args));
        System.out.flush();
    }
}
