package io.backtrack.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.ConcurrencyPolicy;
import io.backtrack.e2e.cluster.ControlPlane;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.OperatorInstall;
import io.backtrack.e2e.harness.OperatorProcess;
import io.backtrack.e2e.harness.RepoPaths;
import io.backtrack.e2e.harness.ScheduleFactory;
import io.backtrack.api.job.JobSettings;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator at scale (issue 6, part 3; issue 17): the real API server and etcd ({@code e2e/controlplane}, with the
 * controller manager and the scheduler), and the operator as built (quarkus-run.jar, as its own process, with its
 * image's JVM options, {@link #OPERATOR_JVM}, the Helm chart's RBAC and environment). There is no node: the Job
 * controller creates each Job's Pod and it stays Pending, so this measures the operator's own work.
 * <ol>
 *   <li>warm-up: 200 Backups, then wait until the operator is idle;
 *   <li>steady state on a small cluster: Backups created at a steady rate (default 10/s) for 30 s; the time from
 *       each create request to its Job appearing on a watch (the create→Job target);
 *   <li>schedules: SCHEDULES BackupSchedules spread by {@code H} ({@code --spread-cron}, default {@code H/5 * * * *}:
 *       a fifth of them due each minute) for {@code --spread-minutes}, then SCHEDULES more all due in the same second
 *       ({@code * * * * *}) for {@code --schedule-minutes}; concurrencyPolicy Allow, so no run is skipped for the
 *       never-finishing Jobs. Firing lateness = the time the Backup appears on a watch minus its
 *       {@code backtrack.io/scheduled-at}. Each set is deleted afterwards, and its runs with it (deletionPolicy
 *       Retain: a Delete run would wait for a cleanup Job), as Kubernetes' garbage collector would;
 *   <li>bulk: BACKUPS Backups across NAMESPACES namespaces, created by 4 client threads as fast as the API
 *       server takes them, and their Jobs awaited for at most {@code --bulk-wait-minutes}; last, as it leaves the
 *       largest store behind.
 * </ol>
 * The operator's RSS is polled from /proc every 500 ms (peak and per phase), its CPU time (utime+stime) per phase.
 * Timestamps are client-side (the API server's are second-granular). A benchmark: it asserts nothing.
 */
public final class ScaleBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /**
     * The operator's JVM as its image runs it (operator/controller/Dockerfile) under the Helm chart's default memory
     * limit of 512 MiB, which MaxRAM stands in for outside a container.
     */
    static final List<String> OPERATOR_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:MaxRAMPercentage=75",
            "-XX:+UseSerialGC", "-XX:MaxHeapFreeRatio=40", "-XX:MinHeapFreeRatio=20", "-XX:TrimNativeHeapInterval=60000",
            "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAM=512m");
    /** The environment the operator image sets (its ENV lines). */
    static final Map<String, String> OPERATOR_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    private final KubernetesClient client;
    private final OperatorProcess operator;
    private final Map<String, Long> createdNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> jobSeenNanos = new ConcurrentHashMap<>();
    private final AtomicLong peakRssKb = new AtomicLong();
    private int steadyRate = 10;
    private int bulkWaitMinutes = 6;
    private String spreadCron = "H/5 * * * *";
    private int spreadMinutes = 5;
    private final long nanoOrigin = System.nanoTime();
    /** What the operator had done when the phase being measured started (see {@link #operatorWork}). */
    private OperatorWork phaseStart = new OperatorWork(0, 0);
    private final long epochOriginMillis = System.currentTimeMillis();

    private final List<String> operatorJvm;

    private ScaleBench(KubernetesClient client, OperatorProcess operator, List<String> operatorJvm) {
        this.client = client;
        this.operator = operator;
        this.operatorJvm = operatorJvm;
    }

    public static void main(String[] args) throws Exception {
        int namespaces = 100;
        int backups = 10_000;
        int schedules = 1_000;
        int scheduleMinutes = 3;
        String spreadCron = "H/5 * * * *";
        int spreadMinutes = 5;
        int steadyRate = 10;
        int bulkWaitMinutes = 6;
        List<String> operatorJvm = new ArrayList<>(OPERATOR_JVM);
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--namespaces" -> namespaces = Integer.parseInt(args[++i]);
                case "--backups" -> backups = Integer.parseInt(args[++i]);
                case "--schedules" -> schedules = Integer.parseInt(args[++i]);
                case "--schedule-minutes" -> scheduleMinutes = Integer.parseInt(args[++i]);
                case "--spread-cron" -> spreadCron = args[++i];
                case "--spread-minutes" -> spreadMinutes = Integer.parseInt(args[++i]);
                case "--steady-rate" -> steadyRate = Integer.parseInt(args[++i]);
                case "--bulk-wait-minutes" -> bulkWaitMinutes = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--operator-jvm-option" -> operatorJvm.add(args[++i]); // e.g. -XX:StartFlightRecording=…
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: ScaleBench "
                        + "[--namespaces N] [--backups N] [--schedules N] [--schedule-minutes N] [--spread-cron CRON] "
                        + "[--spread-minutes N] [--steady-rate PER_S] "
                        + "[--bulk-wait-minutes N] [--operator-jvm-option OPTION]... [--out FILE]");
            }
        }
        if (out == null) {
            out = RepoPaths.root().resolve("bench/results/scale.json");
        }
        Path work = Files.createTempDirectory("backtrack-scale-");
        try (ControlPlane cluster = ControlPlane.start(work.resolve("controlplane"))) {
            cluster.applyCrds(RepoPaths.crds());
            OperatorInstall install = OperatorInstall.apply(cluster, work, Map.of());
            Map<String, String> env = new TreeMap<>(install.env());
            env.putAll(operatorEnv());
            OperatorProcess operator = new OperatorProcess(install.kubeconfig(), work, env, operatorJvm).start();
            try {
                ScaleBench bench = new ScaleBench(cluster.client(), operator, operatorJvm);
                bench.steadyRate = steadyRate;
                bench.bulkWaitMinutes = bulkWaitMinutes;
                bench.spreadCron = spreadCron;
                bench.spreadMinutes = spreadMinutes;
                bench.run(namespaces, backups, schedules, scheduleMinutes, out);
            } finally {
                operator.kill(); // graceful shutdown would wait for reconciles queued behind the API server
                DataPathBench.say("operator log: %s", operator.logFile());
            }
        }
    }

    private static Map<String, String> operatorEnv() {
        Map<String, String> env = new TreeMap<>(OPERATOR_ENV);
        env.put("BACKTRACK_AGENT_IMAGE", "bench/backtrack-agent:none");
        // The bench's Jobs never run (no node pulls its image), so none ever frees its slot: with the default cap of
        // 10 Jobs, create->Job would measure the queue. Measured here: how fast the operator gets each Job created.
        env.put("BACKTRACK_AGENT_MAX_RUNNING_JOBS", "1000000");
        return env;
    }

    private static String envPrefix() {
        StringBuilder prefix = new StringBuilder();
        new TreeMap<>(OPERATOR_ENV).forEach((k, v) -> prefix.append(k).append('=').append(v).append(' '));
        return prefix.toString();
    }

    private void run(int namespaces, int backups, int schedules, int scheduleMinutes, Path out) throws Exception {
        Instant started = Instant.now();
        long pid = operator.process().pid();
        Thread rssPoller = new Thread(() -> pollRss(pid), "rss-poller");
        rssPoller.setDaemon(true);
        rssPoller.start();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "scale");
        result.put("startedAt", started.toString());
        result.put("machine", Machine.describe(null));
        result.put("apiServer", "kube-apiserver " + client.getKubernetesVersion().getGitVersion() + ", etcd 3.7 (e2e/controlplane)");
        result.put("operatorJvm", envPrefix() + "java " + String.join(" ", operatorJvm) + " -jar quarkus-run.jar (the "
                + "image's environment and options; MaxRAM for the chart's 512 MiB memory limit)");
        result.put("namespaces", namespaces);
        result.put("backups", backups);
        result.put("schedules", schedules);
        Map<String, Object> phases = new LinkedHashMap<>();
        result.put("phases", phases);
        phases.put("idle", snapshot(pid, cpu(pid), selfCpu(), 0, 0));

        BackupFactory factory = new BackupFactory("db.bench.svc", 5432, "app", "http://s3.bench.svc:9000",
                "db-backups", "db-credentials", "s3-credentials", null, null, null,
                JobSettings.limits(600L, 0));
        List<String> nss = new ArrayList<>();
        for (int i = 0; i < namespaces; i++) {
            String ns = String.format("team-%03d", i);
            nss.add(ns);
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
            secret(ns, "db-credentials", Map.of("username", "postgres", "password", "pw"));
            secret(ns, "s3-credentials", Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "s"));
        }
        Watch jobWatch = client.batch().v1().jobs().inAnyNamespace().watch(new Watcher<Job>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    var labels = job.getMetadata().getLabels();
                    String owner = labels == null ? null : labels.get(BacktrackApi.BACKUP_LABEL);
                    if (owner != null) {
                        jobSeenNanos.putIfAbsent(job.getMetadata().getNamespace() + "/" + owner, System.nanoTime());
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                DataPathBench.say("job watch closed: %s", cause == null ? "" : cause.getMessage());
            }
        });

        // 0. Warm-up (JIT, connection pools): 200 Backups, then wait until the operator is idle.
        for (int i = 0; i < 200; i++) {
            createBackup(factory, nss.get(i % namespaces), String.format("warmup-%04d", i));
        }
        settle(pid);

        // 1. Steady state on a small cluster: steadyRate Backups a second for 30 s.
        phaseStart = operatorWork();
        long cpu0 = cpu(pid);
        long self0 = selfCpu();
        long t0 = System.nanoTime();
        List<String> steadyKeys = new ArrayList<>();
        long interval = 1_000_000_000L / steadyRate;
        for (int i = 0; i < 30 * steadyRate; i++) {
            String ns = nss.get((i * 7) % namespaces);
            String name = String.format("steady-%04d", i);
            steadyKeys.add(ns + "/" + name);
            long due = t0 + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            createBackup(factory, ns, name);
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!jobSeenNanos.keySet().containsAll(steadyKeys) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Map<String, Object> steady = snapshot(pid, cpu0, self0, t0, steadyKeys.size());
        steady.put("ratePerSecond", steadyRate);
        steady.put("createToJobMs", percentiles(steadyKeys));
        phases.put("steady", steady);
        DataPathBench.say("steady: create→Job %s", steady.get("createToJobMs"));

        // 2. Schedules: spread by H (each fires every 5 minutes, at its own hashed minute), then all firing in the
        // same second; each set deleted afterwards with its runs, so the bulk phase starts from the same store.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        if (spreadMinutes > 0) { // 0: only the all-at-once set (the smoke run)
            phases.put("schedulesSpread", schedules(pool, factory, nss, schedules, spreadCron, spreadMinutes, pid));
        }
        if (scheduleMinutes > 0) { // 0: only the spread set (a diagnosis run)
            phases.put("schedulesAtOnce", schedules(pool, factory, nss, schedules, "* * * * *", scheduleMinutes, pid));
        }

        // 3. Bulk: BACKUPS Backups as fast as the API server takes them; Jobs awaited for at most bulkWaitMinutes.
        phaseStart = operatorWork();
        cpu0 = cpu(pid);
        self0 = selfCpu();
        t0 = System.nanoTime();
        List<String> bulkKeys = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < backups; i++) {
            String ns = nss.get(i % namespaces);
            String name = String.format("bulk-%05d", i);
            bulkKeys.add(ns + "/" + name);
            futures.add(pool.submit(() -> createBackup(factory, ns, name)));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double createSeconds = (System.nanoTime() - t0) / 1e9;
        DataPathBench.say("bulk: %d Backups created in %.1f s; waiting for their Jobs ...", backups, createSeconds);
        deadline = System.nanoTime() + bulkWaitMinutes * 60_000_000_000L;
        while (!jobSeenNanos.keySet().containsAll(bulkKeys) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        double allJobsSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> bulk = snapshot(pid, cpu0, self0, t0, backups);
        bulk.put("createSeconds", createSeconds);
        bulk.put("createsPerSecond", backups / createSeconds);
        bulk.put("secondsUntilAllJobs", jobSeenNanos.keySet().containsAll(bulkKeys) ? allJobsSeconds : Double.NaN);
        bulk.put("waitedMinutes", bulkWaitMinutes);
        bulk.put("jobsSeen", bulkKeys.stream().filter(jobSeenNanos::containsKey).count());
        bulk.put("createToJobMs", percentiles(bulkKeys));
        phases.put("bulk", bulk);
        DataPathBench.say("bulk: %s of %d Jobs seen after %.1f s; create→Job %s", bulk.get("jobsSeen"), backups,
                allJobsSeconds, bulk.get("createToJobMs"));
        pool.shutdownNow();
        jobWatch.close();

        result.put("backupsAtEnd", client.resources(Backup.class).inAnyNamespace().list().getItems().size());
        result.put("operatorPeakRssMiB", peakRssKb.get() / 1024.0);
        result.put("completedAt", Instant.now().toString());
        Files.createDirectories(out.getParent());
        JSON.writeValue(out.toFile(), result);
        DataPathBench.say("wrote %s (operator peak RSS %.0f MiB)", out, peakRssKb.get() / 1024.0);
    }

    /** Firing lateness per scheduled minute, in order: shows whether one burst dominates the percentiles. */
    private static Map<String, Object> byMinute(Map<String, Double> lateness, Map<String, Instant> scheduledAt) {
        Map<String, List<Double>> minutes = new TreeMap<>();
        lateness.forEach((key, late) -> minutes.computeIfAbsent(scheduledAt.get(key).toString(), m -> new ArrayList<>())
                .add(late));
        Map<String, Object> result = new LinkedHashMap<>();
        minutes.forEach((minute, lates) -> {
            result.put(minute, summary("firings", lates.stream().mapToDouble(d -> d).toArray()));
        });
        return result;
    }

    /**
     * SCHEDULES BackupSchedules with {@code cron} (concurrencyPolicy Allow, so no run is skipped for the
     * never-finishing Jobs), observed for {@code minutes} full minutes: firing lateness = the time the Backup appears
     * on a watch minus its {@code backtrack.io/scheduled-at}. Then they are deleted, and their runs.
     */
    private Map<String, Object> schedules(ExecutorService pool, BackupFactory factory, List<String> nss, int count,
                                          String cron, int minutes, long pid) throws Exception {
        Map<String, Double> lateness = new ConcurrentHashMap<>();
        Map<String, Instant> scheduledAt = new ConcurrentHashMap<>();
        String prefix = cron.startsWith("*") ? "at-once-" : "spread-";
        Watch backupWatch = client.resources(Backup.class).inAnyNamespace()
                .withLabel(BacktrackApi.SCHEDULE_LABEL).watch(new Watcher<Backup>() {
                    @Override
                    public void eventReceived(Action action, Backup b) {
                        var annotations = b.getMetadata().getAnnotations();
                        String at = annotations == null ? null : annotations.get(BacktrackApi.SCHEDULED_AT_ANNOTATION);
                        // The watch starts with every existing scheduled Backup: count only this phase's runs.
                        if (action == Action.ADDED && at != null && b.getMetadata().getName().startsWith(prefix)) {
                            String key = b.getMetadata().getNamespace() + "/" + b.getMetadata().getName();
                            Instant due = Instant.parse(at);
                            lateness.putIfAbsent(key, (System.currentTimeMillis() - due.toEpochMilli()) / 1000.0);
                            scheduledAt.putIfAbsent(key, due);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
        phaseStart = operatorWork();
        long cpu0 = cpu(pid);
        long self0 = selfCpu();
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String ns = nss.get(i % nss.size());
            String name = String.format("%s%04d", prefix, i);
            futures.add(pool.submit(() -> client.resources(BackupSchedule.class).inNamespace(ns)
                    .resource(ScheduleFactory.of(ownDatabase(factory, ns, name).withDeletionPolicy(DeletionPolicy.Retain), cron)
                            .withPolicy(ConcurrencyPolicy.Allow).build(ns, name))
                    .create()));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        Instant applied = Instant.now();
        DataPathBench.say("schedules '%s': %d created in %.1f s; observing %d minute(s) of firings ...", cron, count,
                (System.nanoTime() - t0) / 1e9, minutes);
        // From the next full minute on, for the given minutes, plus 20 s for the last firing to land.
        long msToNextMinute = 60_000 - System.currentTimeMillis() % 60_000;
        Thread.sleep(msToNextMinute + minutes * 60_000L + 20_000);
        Map<String, Object> phase = snapshot(pid, cpu0, self0, t0, lateness.size());
        phase.put("cron", cron);
        phase.put("minutes", minutes);
        phase.put("firings", lateness.size());
        double[] late = lateness.values().stream().mapToDouble(d -> d).toArray();
        phase.put("latenessSeconds", summary(null, late));
        phase.put("latenessByMinute", byMinute(lateness, scheduledAt));
        // Runs due while the set was still being created compete with every new schedule's first reconcile.
        double[] afterApplied = lateness.entrySet().stream().filter(e -> scheduledAt.get(e.getKey()).isAfter(applied))
                .mapToDouble(Map.Entry::getValue).toArray();
        phase.put("appliedAt", applied.toString());
        phase.put("latenessOnceAppliedSeconds", summary("firings", afterApplied));
        DataPathBench.say("schedules '%s': %d firings, lateness %s", cron, lateness.size(), phase.get("latenessSeconds"));
        backupWatch.close();
        for (int i = 0; i < count; i++) {
            client.resources(BackupSchedule.class).inNamespace(nss.get(i % nss.size()))
                    .withName(String.format("%s%04d", prefix, i)).delete();
        }
        // And their runs, without waiting for the garbage collector to get to them. They are Retain: a Delete run
        // would wait for a cleanup Job, and no Job ever runs here.
        for (String ns : nss) {
            client.resources(Backup.class).inNamespace(ns).withLabel(BacktrackApi.SCHEDULE_LABEL).delete();
        }
        settle(pid);
        return phase;
    }

    /**
     * Each Backup (and each schedule) is of a database of its own, as in a real fleet: the operator runs one agent Job
     * per database at a time, so Backups of one database would measure that queue instead.
     */
    private void createBackup(BackupFactory factory, String ns, String name) {
        Backup b = ownDatabase(factory, ns, name).build(ns, name);
        createdNanos.put(ns + "/" + name, System.nanoTime());
        client.resources(Backup.class).inNamespace(ns).resource(b).create();
    }

    private static BackupFactory ownDatabase(BackupFactory factory, String ns, String name) {
        return factory.withDatabase(factory.host(), factory.port(), ("app_" + ns + "_" + name).replace('-', '_'));
    }

    private void secret(String ns, String name, Map<String, String> values) {
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(ns).endMetadata().withStringData(values).build()).create();
    }

    /** Waits until the operator used under 5% of a core for 3 s running (at most 5 minutes). */
    private void settle(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() < deadline) {
            long c = cpu(pid);
            Thread.sleep(1000);
            quiet = cpu(pid) - c < 5 ? quiet + 1 : 0;
        }
    }

    private Map<String, Object> percentiles(List<String> keys) {
        double[] ms = keys.stream().filter(k -> jobSeenNanos.containsKey(k) && createdNanos.containsKey(k))
                .mapToDouble(k -> (jobSeenNanos.get(k) - createdNanos.get(k)) / 1e6).toArray();
        return summary("n", ms);
    }

    /** How many values under {@code countKey} (none if null), then their p50, p99 and max; sorted once. */
    private static Map<String, Object> summary(String countKey, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        if (countKey != null) {
            m.put(countKey, values.length);
        }
        m.put("p50", ofSorted(sorted, 50));
        m.put("p99", ofSorted(sorted, 99));
        m.put("max", ofSorted(sorted, 100));
        return m;
    }

    static double pct(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        return ofSorted(v, p);
    }

    private static double ofSorted(double[] v, double p) {
        if (v.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, idx))];
    }

    private Map<String, Object> snapshot(long pid, long cpuBefore, long selfBefore, long t0, int objects) {
        Map<String, Object> m = new LinkedHashMap<>();
        double seconds = t0 == 0 ? 0 : (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (cpu(pid) - cpuBefore) / 100.0;
        m.put("seconds", seconds);
        m.put("operatorCpuSeconds", cpuSeconds);
        if (objects > 0) {
            m.put("operatorCpuMsPerObject", cpuSeconds * 1000 / objects);
        }
        m.put("benchJvmCpuSeconds", (selfCpu() - selfBefore) / 100.0);
        m.put("operatorRssMiB", status(pid, "VmRSS") / 1024.0);
        m.put("operatorPeakRssMiB", peakRssKb.get() / 1024.0);
        m.put("loadAverage", TimedProcess.currentLoad());
        m.put("apiServerGetMs", probeApi());
        if (t0 != 0) {
            OperatorWork now = operatorWork();
            double requests = now.apiRequests() - phaseStart.apiRequests();
            double reconciles = now.reconciles() - phaseStart.reconciles();
            m.put("operatorApiRequests", requests);
            m.put("operatorReconciles", reconciles);
            if (reconciles > 0) {
                m.put("apiRequestsPerReconcile", requests / reconciles);
            }
            if (objects > 0) {
                m.put("apiRequestsPerObject", requests / objects);
            }
        }
        return m;
    }

    /**
     * The operator's requests as kube-apiserver counts them (API Priority and Fairness, flow schema
     * {@code service-accounts}: every service account outside kube-system, and the operator's is the only one here;
     * the controller manager's controllers are in kube-system and this client is exempt), and its reconciles as the
     * Java Operator SDK counts them, both since the operator started.
     */
    private OperatorWork operatorWork() {
        return new OperatorWork(
                sum(client.raw("/metrics"), "apiserver_flowcontrol_dispatched_requests_total{flow_schema=\"service-accounts\""),
                sum(operator.get("/q/metrics").body(), "operator_sdk_controllers_execution_reconcile_seconds_count{"));
    }

    private record OperatorWork(double apiRequests, double reconciles) {
    }

    /** The sum of a Prometheus text exposition's samples whose line starts with {@code prefix}. */
    static double sum(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * What one API request costs the API server at this point: 30 sequential GETs of one Secret from this
     * client (the operator makes several such requests per Backup), p50 and p99 in ms.
     */
    private Map<String, Object> probeApi() {
        double[] ms = new double[30];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            try {
                client.secrets().inNamespace("team-000").withName("db-credentials").get();
            } catch (RuntimeException e) {
                // namespaces not created yet: still a request
            }
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return Map.of("p50", pct(ms, 50), "p99", pct(ms, 99));
    }

    private void pollRss(long pid) {
        while (true) {
            long rss = status(pid, "VmRSS");
            peakRssKb.accumulateAndGet(rss, Math::max);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** utime + stime of a process, in clock ticks (1/100 s). */
    static long cpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime + cutime + cstime: a process and its waited-for children (a postmaster and its backends). */
    static long cpuWithChildren(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long selfCpu() {
        return cpu(ProcessHandle.current().pid());
    }

    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
