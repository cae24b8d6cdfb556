package io.backtrack.e2e.bench;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.e2e.harness.RepoPaths;
import io.backtrack.e2e.postgres.PostgresServer;
import io.backtrack.e2e.s3.S3Server;
import io.minio.ListObjectsArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
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
import java.util.stream.Stream;

/**
 * The data-path benchmark (issues 6 and 22): a PostgreSQL database of a chosen size with poorly compressible data,
 * S3Proxy, and in one run, alternating repetitions of
 * <ul>
 *   <li>backup: {@code backtrack-agent backup} (default settings, plus any {@code --agent-variant}) vs the pipeline
 *       an expert types by hand, {@code pg_dump -Fc -Z0 | zstd -1 -T2 | aws s3 cp - s3://…} (awscli from Debian),
 *       vs {@code pg_dump -Fc -Z0 > /dev/null} vs {@code pg_dump -Fc > /dev/null} vs
 *       {@code pg_dump -Fc | restic backup --stdin} into a fresh restic repository on the same S3 server
 *       ({@code --fit}: the agent, the hand pipeline and {@code -Z0 > /dev/null} only, for the sizes the fixed cost
 *       is fitted over; {@code --empty}: the same three of an almost empty database, the fixed cost measured, and
 *       {@link BackupFloor}, the floor under it);
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
    static final String HAND = "pg_dump -Fc -Z0 | zstd -1 -T2 | aws s3 cp -";
    static final String Z0 = "pg_dump -Fc -Z0 > /dev/null";
    /** The cases the targets against the hand pipeline and the fit compare: the only ones the extra rounds run. */
    static final List<String> COMPARED = List.of("agent backup", HAND, Z0);
    static final String PG_RESTORE = "pg_restore (local -Fc -Z0 file)";
    static final String PG_RESTORE_J2 = "pg_restore --jobs=2 (local -Fc -Z0 file)";
    /** The agent's parallel restore (a Restore's parallelJobs: 2): the archive checked into a local file first. */
    static final String RESTORE_J2 = "agent restore --jobs 2";
    /** The cases of an almost empty database ({@code --empty}): what a backup costs whatever the size. */
    static final String EMPTY = " (empty database)";
    static final String EMPTY_DB = "benchempty";
    /** {@link BackupFloor}: the least a backup by the agent's stack does (an {@link #EMPTY} case). */
    static final String FLOOR = "JVM start, snapshot, dump and two PUTs only";
    /** awscli from Debian's package (not another aws on the PATH). */
    static final String AWS = "/usr/bin/aws";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /**
     * The agent's JVM options as its image's entrypoint sets them (operator/agent/Dockerfile; ImageJvmOptionsTest
     * holds them equal). Also the memory the agent's large-archive test runs in.
     */
    public static final List<String> AGENT_IMAGE_JVM;
    /**
     * The image's C2 thresholds: C2 compiles a method only after ten times JDK 17's default number of calls and
     * loop iterations, so that start-up code (JDBC, the S3 client, JSON) stays with C1 and only the data path's hot
     * loops get C2.
     */
    static final List<String> AGENT_IMAGE_C2 = List.of("-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000",
            "-XX:Tier4BackEdgeThreshold=400000");
    /**
     * The image's C1 thresholds: C1 compiles a method after four times JDK 17's default number of calls, so that
     * code a Job runs a few hundred times while it starts is interpreted instead of compiled (the
     * {@code jit=c1default} lever drops them); loops still compile after JDK 17's default iterations.
     */
    static final List<String> AGENT_IMAGE_C1 = List.of("-XX:Tier3InvocationThreshold=800",
            "-XX:Tier3MinInvocationThreshold=400", "-XX:Tier3CompileThreshold=8000");
    /** The image's JIT thresholds, C1's and C2's (the {@code jit=default} lever drops them all). */
    static final List<String> AGENT_IMAGE_JIT = Stream.concat(AGENT_IMAGE_C1.stream(),
            AGENT_IMAGE_C2.stream()).toList();

    /**
     * The image's initial heap: the whole heap (25% of MaxRAM, as the maximum) from the start, instead of 8 MiB
     * grown by full collections while the Job starts (the {@code heap=grow} lever drops it).
     */
    static final String AGENT_IMAGE_HEAP = "-XX:InitialRAMPercentage=25";

    static {
        List<String> jvm = new ArrayList<>(List.of("-XX:MaxRAM=512m", "-XX:+UseSerialGC", AGENT_IMAGE_HEAP,
                "-XX:+ExitOnOutOfMemoryError"));
        jvm.addAll(AGENT_IMAGE_JIT);
        AGENT_IMAGE_JVM = List.copyOf(jvm);
    }

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
    private boolean empty;
    private String note;
    private String cdsOption;
    /** The recipient of the {@code age} variants, generated on first use. */
    private String recipient;
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
        Integer compareReps = null;
        boolean fit = false;
        boolean restores = true;
        boolean empty = false;
        Path classList = null;
        String note = null;
        Path out = null;
        Map<String, String> variants = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size-gb" -> sizeGb = Double.parseDouble(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--restore-reps" -> restoreReps = Integer.parseInt(args[++i]);
                case "--compare-reps" -> compareReps = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--fit" -> fit = true;
                case "--empty" -> empty = true;
                case "--write-classlist" -> classList = Path.of(args[++i]);
                case "--no-restore" -> restores = false;
                case "--note" -> note = args[++i];
                case "--agent-variant" -> {
                    // "LABEL:TOKENS": an extra agent backup case (a lever). Tokens: NAME=VALUE sets an environment
                    // variable, -X... a JVM option, jvm=host drops the image's JVM options, jit=default its JIT
                    // thresholds, jit=c1default its C1 ones, heap=grow its initial heap, jar=PATH another build, age
                    // encrypts to a key pair generated for the run, anything else an agent argument, e.g.
                    // "L3:--level 3".
                    String[] parts = args[++i].split(":", 2);
                    variants.put(parts[0], parts[1]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: DataPathBench [--size-gb N] [--reps N] [--restore-reps N] [--compare-reps N] "
                        + "[--out FILE] [--fit] [--empty] [--no-restore] [--note TEXT] [--write-classlist FILE] "
                        + "[--agent-variant 'LABEL:[ENV=V] [-XJVMOPT] [jvm=host] [jit=default|c1default] [heap=grow] "
                        + "[cds=off] [jar=PATH] [age] [AGENT-ARG]...']");
            }
        }
        if (out == null) {
            out = RepoPaths.root().resolve("bench/results/datapath-" + fmt(sizeGb) + "g.json");
        }
        Path work = Files.createTempDirectory("backtrack-bench-");
        try (PostgresServer pg = PostgresServer.start(); S3Server s3 = S3Server.startForThroughput()) {
            s3.createBucket(BUCKET);
            DataPathBench bench = new DataPathBench(pg, s3, work);
            if (classList != null) {
                bench.writeClassList(sizeGb, classList);
                return;
            }
            bench.restores = restores;
            bench.empty = empty;
            bench.note = note;
            bench.cdsOption = AgentCds.archiveOption(bench.java, bench.agentJar, work);
            bench.run(sizeGb, reps, restoreReps == null ? reps : restoreReps,
                    compareReps == null ? reps : Math.max(reps, compareReps), fit, variants, out);
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * {@code compareReps} (at least {@code reps}): repetitions of the cases the hand-pipeline targets and the fit
     * judge (the agent's default backup, the hand pipeline, {@code -Z0 > /dev/null}); the rounds after {@code reps}
     * run only those, alternating likewise, so their medians rest on more runs than the levers'.
     */
    private void run(double sizeGb, int reps, int restoreReps, int compareReps, boolean fit,
                     Map<String, String> variants, Path out)
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
        if (!fit) {
            shell(pgBin + "pg_dump -Fc " + connArgs(DB) + " -f " + gzDump).requireSuccess("pg_dump to file");
            gzBytes = Files.size(gzDump);
            Files.delete(gzDump);
        }
        say("raw dump (-Fc -Z0): %.0f MB; default -Fc (gzip): %.0f MB", rawBytes / 1e6, gzBytes / 1e6);

        // Backups, alternating the order of the cases from repetition to repetition.
        List<String> backupCases = new ArrayList<>(List.of("agent backup"));
        backupCases.addAll(variants.keySet().stream().map(v -> "agent backup [" + v + "]").toList());
        backupCases.addAll(List.of(HAND, Z0));
        if (!fit) {
            backupCases.addAll(List.of("pg_dump -Fc > /dev/null", "pg_dump -Fc | restic backup --stdin", PIPE_CAT,
                    PIPE_ZSTD));
        }
        if (empty) {
            pg.createDatabase(EMPTY_DB);
            pg.execute(EMPTY_DB, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                    "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 100) g");
            backupCases.addAll(List.of("agent backup" + EMPTY, HAND + EMPTY, Z0 + EMPTY, FLOOR + EMPTY));
        }
        // Untimed: the first upload of a run warms S3Proxy's JIT, which the repetition that happened to go first
        // would otherwise pay for (a store on other machines has long been warm).
        say("warm-up: one agent backup, untimed");
        agentBackup("warm-up", DB, "warm-up", "");
        removePrefix("warm-up/");
        String keptArchive = null;
        for (int rep = 1; rep <= compareReps; rep++) {
            List<String> round = rep <= reps ? backupCases : COMPARED;
            for (int i = 0; i < round.size(); i++) {
                String c = round.get((i + rep - 1) % round.size());
                String key = "agent-" + rep + "-" + Math.abs(c.hashCode());
                String variant = variants.getOrDefault(variantOf(c), "");
                markServers();
                TimedProcess t = switch (c) {
                    case Z0 -> timedShell(c, pgBin + "pg_dump -Fc -Z0 " + connArgs(DB) + " > /dev/null");
                    case Z0 + EMPTY -> timedShell(c, pgBin + "pg_dump -Fc -Z0 " + connArgs(EMPTY_DB) + " > /dev/null");
                    case HAND -> hand(c, DB, key);
                    case HAND + EMPTY -> hand(c, EMPTY_DB, key);
                    case "agent backup" + EMPTY -> agentBackup(c, EMPTY_DB, key, "");
                    case FLOOR + EMPTY -> backupFloor(c, key);
                    case PIPE_CAT -> timedShell(c, pgBin + "pg_dump -Fc -Z0 " + connArgs(DB) + " | cat > /dev/null");
                    case PIPE_ZSTD -> timedShell(c, pgBin + "pg_dump -Fc -Z0 " + connArgs(DB) + " | zstd -3 -T2 -q > /dev/null");
                    case "pg_dump -Fc > /dev/null" -> timedShell(c, pgBin + "pg_dump -Fc " + connArgs(DB) + " > /dev/null");
                    case "pg_dump -Fc | restic backup --stdin" -> restic(c, rep);
                    default -> agentBackup(c, DB, key, variant);
                };
                record(c, t);
                if (c.equals("agent backup") && keptArchive == null) {
                    keptArchive = key;
                } else if (c.startsWith("agent backup") || c.startsWith(HAND) || c.startsWith(FLOOR)) {
                    removePrefix(key + "/");
                }
            }
        }

        // Restores into fresh databases, alternating likewise.
        List<String> restoreCases = !restores ? List.of() : fit ? List.of("agent restore")
                : List.of("agent restore", RESTORE_J2, PG_RESTORE, PG_RESTORE_J2);
        for (int rep = 1; rep <= restoreReps; rep++) {
            for (int i = 0; i < restoreCases.size(); i++) {
                String c = restoreCases.get((i + rep - 1) % restoreCases.size());
                String target2 = "restored_" + rep + "_" + i;
                TimedProcess t;
                markServers();
                if (c.startsWith("agent restore")) {
                    t = agent(c, restoreArgs(target2, keptArchive), c.equals(RESTORE_J2) ? "--jobs 2" : "");
                } else {
                    // Into a new database, as the agent's newDatabase restore: both create the one they fill.
                    t = timedShell(c, pgBin + "createdb --no-password -h " + pg.host() + " -p " + pg.port() + " -U "
                            + pg.superuser() + " " + target2 + " && " + pgBin + "pg_restore --exit-on-error "
                            + "--no-password " + (c.equals(PG_RESTORE_J2) ? "--jobs=2 " : "") + connArgs(target2)
                            + " " + rawDump);
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
        result.put("compareReps", compareReps);
        result.put("comparedCases", COMPARED);
        result.put("restoreReps", restoreReps);
        result.put("fit", fit);
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
            if (e.getValue().stream().allMatch(r -> r.containsKey("ioWaitSeconds"))) {
                c.put("medianIoWaitSeconds", median(e.getValue().stream()
                        .mapToDouble(r -> (double) r.get("ioWaitSeconds")).toArray()));
            }
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

    private TimedProcess agentBackup(String c, String db, String key, String variant) {
        TimedProcess t = agent(c, backupArgs(db, key), variant);
        try {
            JsonNode r = JSON.readTree(lastLine(t.stdout()));
            archiveBytes.put(c, r.get("sizeBytes").asLong());
        } catch (IOException e) {
            throw new IllegalStateException("agent printed no result: " + t.stdout(), e);
        }
        return t;
    }

    private List<String> backupArgs(String db, String key) {
        return List.of("backup", "--host", pg.host(), "--port", String.valueOf(pg.port()), "--username",
                pg.superuser(), "--dbname", db, "--endpoint", s3.endpoint(), "--bucket", BUCKET, "--key", key);
    }

    private List<String> restoreArgs(String db, String key) {
        return List.of("restore", "--host", pg.host(), "--port", String.valueOf(pg.port()), "--username",
                pg.superuser(), "--dbname", db, "--endpoint", s3.endpoint(), "--bucket", BUCKET, "--key", key);
    }

    /**
     * The hand pipeline an expert types: {@code pg_dump -Fc -Z0 | zstd -1 -T2 | aws s3 cp - s3://bucket/key} (awscli
     * reads stdin in 8 MiB parts, up to 10 at once, and signs each part's SHA-256 over plain HTTP).
     */
    private TimedProcess hand(String c, String db, String key) {
        Map<String, String> env = new HashMap<>(secrets());
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("HOME", work.toString());
        commands.putIfAbsent(c, "pg_dump -Fc -Z0 -d " + db + " | zstd -1 -T2 -q | aws --endpoint-url " + s3.endpoint()
                + " s3 cp - s3://" + BUCKET + "/KEY (" + Machine.command(List.of(AWS, "--version")) + ")");
        TimedProcess t = TimedProcess.run(List.of("bash", "-c", "set -o pipefail; " + pgBin + "pg_dump -Fc -Z0 "
                + connArgs(db) + " | zstd -1 -T2 -q | " + AWS + " --endpoint-url " + s3.endpoint() + " s3 cp - s3://"
                + BUCKET + "/" + key + "/archive.pgdump.zst"), env).requireSuccess(c);
        archiveBytes.put(c, sizeOfPrefix(key + "/"));
        return t;
    }

    /** The JVM options the agent's image starts it with: the class-data sharing archive (made here) and the rest. */
    private List<String> imageJvm() {
        List<String> jvm = new ArrayList<>();
        if (cdsOption != null) {
            jvm.add(cdsOption);
        }
        jvm.addAll(AGENT_IMAGE_JVM);
        return jvm;
    }

    /** JVM options as the report shows them: the archive under the image's path instead of this run's. */
    private String shown(List<String> jvm) {
        return String.join(" ", jvm).replace(String.valueOf(cdsOption), AgentCds.IMAGE_OPTION);
    }

    /**
     * {@link BackupFloor} against the almost empty database, into {@code key}, started as the image starts the agent:
     * its JVM options and its class-data sharing archive, which must map ({@code -Xshare:on}; a floor measured
     * without the archive would be no floor), the class appended to the agent jar on the class path (which the
     * archive allows).
     */
    private TimedProcess backupFloor(String c, String key) {
        List<String> jvm = new ArrayList<>(List.of("-Xshare:on"));
        jvm.addAll(imageJvm());
        Path classes;
        try {
            classes = Path.of(BackupFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", agentJar + File.pathSeparator + classes, BackupFloor.class.getName(), pg.host(),
                String.valueOf(pg.port()), pg.superuser(), EMPTY_DB, pgBin + "pg_dump", s3.endpoint(), BUCKET, key));
        commands.putIfAbsent(c, "java " + shown(jvm) + " -cp backtrack-agent.jar:… " + BackupFloor.class.getSimpleName()
                + " (connects and exports a snapshot while the S3 client is set up, runs pg_dump --snapshot -Fc -Z0, "
                + "PUTs its output and a manifest, exits)");
        return TimedProcess.run(cmd, secrets()).requireSuccess(c);
    }

    /**
     * Records the classes a backup, a restore and a verify load ({@code -XX:DumpLoadedClassList}) into
     * {@code into}: the class list the agent image's class-data sharing archive is made from.
     */
    private void writeClassList(double sizeGb, Path into) throws Exception {
        BenchDatabase.create(pg, DB, (long) (sizeGb * (1L << 30)));
        Path backup = work.resolve("backup.classlist");
        Path restore = work.resolve("restore.classlist");
        Path verify = work.resolve("verify.classlist");
        agent("classes", backupArgs(DB, "classes"), AgentCds.recordOption(backup) + " cds=off");
        agent("classes", restoreArgs("restored", "classes"), AgentCds.recordOption(restore) + " cds=off");
        agent("classes", List.of("verify", "--endpoint", s3.endpoint(), "--bucket", BUCKET, "--key", "classes"),
                AgentCds.recordOption(verify) + " cds=off");
        AgentCds.merge(List.of(backup, restore, verify), into);
        say("wrote %s", into);
    }

    /** The agent as a Job runs it: {@code java -jar backtrack-agent.jar ARGS}, plus a variant's tokens. */
    private TimedProcess agent(String c, List<String> args, String variant) {
        Map<String, String> env = new HashMap<>(secrets());
        List<String> jvm = new ArrayList<>(imageJvm());
        List<String> extraArgs = new ArrayList<>();
        String jar = agentJar.toString();
        for (String token : variant.isBlank() ? new String[0] : variant.trim().split("\\s+")) {
            if (token.matches("[A-Z_][A-Z0-9_]*=.*")) {
                env.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
            } else if (token.equals("jvm=host")) {
                jvm.removeAll(AGENT_IMAGE_JVM); // the JVM's own defaults on this host instead of the image's options
            } else if (token.equals("jit=default")) {
                jvm.removeAll(AGENT_IMAGE_JIT); // JDK 17's own C1 and C2 thresholds
            } else if (token.equals("jit=c1default")) {
                jvm.removeAll(AGENT_IMAGE_C1); // JDK 17's own C1 thresholds (the image's C2 ones stay)
            } else if (token.equals("heap=grow")) {
                jvm.remove(AGENT_IMAGE_HEAP); // the JVM's own initial heap (1/64 of MaxRAM), grown as needed
            } else if (token.equals("cds=off")) {
                jvm.remove(cdsOption); // the JDK's own class-data sharing archive only
            } else if (token.equals("age")) {
                // Encrypted as a Job with encryption.age would be: the recipient in the environment.
                env.put(AgentEnv.AGE_RECIPIENTS, benchRecipient());
            } else if (token.startsWith("jar=")) {
                jar = token.substring(4); // another build of the agent, e.g. the previous commit's (before/after)
                jvm.remove(cdsOption); // as its image ran it: without an archive of this build's classes
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
        commands.putIfAbsent(c, "java " + (jvm.isEmpty() ? "" : shown(jvm) + " ") + "-jar backtrack-agent.jar "
                + args.get(0) + " …"
                + (variant.isBlank() ? " (defaults)" : " with " + variant));
        return TimedProcess.run(cmd, env).requireSuccess(c);
    }

    /**
     * The age recipient (X25519 public key) encrypted variants write to, generated once per run (with Jagged, the
     * agent's own age library); its identity is never needed: the benchmark measures backups only.
     */
    private String benchRecipient() {
        if (recipient == null) {
            try {
                recipient = new X25519KeyPairGenerator().generateKeyPair().getPublic().toString();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no X25519", e);
            }
        }
        return recipient;
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
        long ioWait = ioWaitTicks();
        if (ioWait >= 0 && ioWaitMark >= 0) {
            r.put("ioWaitSeconds", (ioWait - ioWaitMark) / 100.0);
        }
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
    private long ioWaitMark = -1;

    /**
     * Notes the servers' CPU time before a case: PostgreSQL's (postmaster plus its finished backends) and S3Proxy's;
     * and the machine's I/O wait so far.
     */
    private void markServers() {
        pgMark = ScaleBench.cpuWithChildren(postmasterPid);
        s3Mark = ScaleBench.cpu(s3ProxyPid);
        ioWaitMark = ioWaitTicks();
    }

    /**
     * The time all cores have spent idle with disk I/O outstanding (the {@code iowait} column of /proc/stat's
     * {@code cpu} line, in clock ticks of 1/100 s), or -1 where there is no /proc/stat: wall time a case spent
     * waiting for the disk (a database or an archive no longer in the page cache) rather than for CPU.
     */
    static long ioWaitTicks() {
        try {
            return ioWaitTicks(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The iowait column of /proc/stat's first line ({@code cpu user nice system idle iowait …}), or -1. */
    static long ioWaitTicks(String cpuLine) {
        String[] cpu = cpuLine.trim().split("\\s+");
        try {
            return cpu[0].equals("cpu") && cpu.length > 5 ? Long.parseLong(cpu[5]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
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
