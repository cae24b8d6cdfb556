package io.backtrack.e2e.metrics;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.OperatorProcess;
import io.backtrack.e2e.harness.RestoreFactory;
import io.backtrack.e2e.harness.ScheduleFactory;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.restore.Manifests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's /q/metrics after real backups, restores and scheduled runs: every Backtrack metric moves exactly as
 * the resources' status says, and per-resource series go away with their resource.
 */
class MetricsTest {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String BUCKET = "metrics-backups";

    static BacktrackEnvironment env;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.s3().createBucket(BUCKET);
    }

    @Test
    void backupsAndRestoresAreCountedTimedAndSized() throws Exception {
        String ns = env.namespace("metrics-br");
        env.postgres().createDatabase("metrics_orders");
        SampleData.load(env.postgres(), "metrics_orders");
        BackupFactory backups = BackupFactory.of(env, "metrics_orders", BUCKET);

        Backup good = createAndAwait(backups.build(ns, "good"));
        assertThat(good.getStatus().phase()).as("%s", good.getStatus()).isEqualTo(BackupPhase.Completed);
        Backup bad = createAndAwait(backups.withStorage(env.s3().endpoint(), "no-such-bucket").build(ns, "bad"));
        assertThat(bad.getStatus().phase()).as("%s", bad.getStatus()).isEqualTo(BackupPhase.Failed);

        PrometheusText m = scrape();
        assertThat(m.value("backtrack_backups_total", "namespace", ns, "schedule", "", "result", "completed")).hasValue(1.0);
        assertThat(m.value("backtrack_backups_total", "namespace", ns, "schedule", "", "result", "failed")).hasValue(1.0);
        assertThat(m.value("backtrack_backup_duration_seconds_count", "namespace", ns, "result", "completed")).hasValue(1.0);
        assertThat(m.value("backtrack_backup_duration_seconds_count", "namespace", ns, "result", "failed")).hasValue(1.0);
        assertThat(m.value("backtrack_backup_duration_seconds_sum", "namespace", ns, "result", "completed").orElseThrow())
                .isCloseTo(good.getStatus().durationSeconds(), org.assertj.core.data.Offset.offset(0.01));
        assertThat(m.find("backtrack_backup_duration_seconds_bucket", "namespace", ns, "result", "completed"))
                .as("histogram buckets").hasSizeGreaterThan(5);
        assertThat(m.value("backtrack_backup_archive_bytes", "namespace", ns, "name", "good")).as(m.backtrack())
                .hasValue((double) good.getStatus().archive().sizeBytes());
        assertThat(m.find("backtrack_backup_archive_bytes", "namespace", ns, "name", "bad")).as("a failed backup has no archive").isEmpty();
        List<PrometheusText.Sample> sdk = m.samples().stream().filter(s -> s.name().startsWith("operator_sdk_")).toList();
        assertThat(sdk).as("the Java Operator SDK's own metrics").isNotEmpty();
        assertThat(sdk).as("per controller, never per resource (a series per Backup ever seen)")
                .noneMatch(s -> s.labels().containsValue("good") || s.labels().containsValue("bad"));
        PrometheusText first = m;
        assertThat(first.help("backtrack_backups_total").or(() -> first.help("backtrack_backups"))).as(first.backtrack()).isPresent();

        // A restore that completes, then one whose manifest disagrees with the restored row counts.
        Restore restored = createAndAwait(RestoreFactory.ofBackup("good").strategy(RestoreStrategy.newDatabase)
                .target(env, "metrics_orders_copy", BacktrackEnvironment.DB_SECRET).build(ns, "copy"));
        assertThat(restored.getStatus().phase()).as("%s", restored.getStatus()).isEqualTo(RestorePhase.Completed);
        Manifests.addOneRow(env.s3(), BUCKET, good, "customers");
        Restore mismatched = createAndAwait(RestoreFactory.ofBackup("good").strategy(RestoreStrategy.newDatabase)
                .target(env, "metrics_orders_mismatch", BacktrackEnvironment.DB_SECRET).build(ns, "mismatch"));
        assertThat(mismatched.getStatus().phase()).as("%s", mismatched.getStatus()).isEqualTo(RestorePhase.Failed);
        assertThat(mismatched.getStatus().verification().mismatches()).hasSize(1);

        m = scrape();
        assertThat(m.value("backtrack_restores_total", "namespace", ns, "result", "completed")).hasValue(1.0);
        assertThat(m.value("backtrack_restores_total", "namespace", ns, "result", "failed")).hasValue(1.0);
        assertThat(m.value("backtrack_restore_verification_mismatches_total", "namespace", ns)).hasValue(1.0);
        assertThat(m.value("backtrack_restore_duration_seconds_count", "namespace", ns, "result", "completed")).hasValue(1.0);
        assertThat(m.value("backtrack_restore_duration_seconds_sum", "namespace", ns, "result", "completed").orElseThrow())
                .isCloseTo(restored.getStatus().durationSeconds(), org.assertj.core.data.Offset.offset(0.01));
        // Counted once each, however often the finished resources are reconciled again.
        assertThat(m.value("backtrack_backups_total", "namespace", ns, "schedule", "", "result", "completed")).hasValue(1.0);

        // Deleting a Backup removes its per-Backup series; counters stay.
        env.client().resources(Restore.class).inNamespace(ns).delete();
        env.client().resources(Backup.class).inNamespace(ns).withName("good").delete();
        awaitMetrics("backtrack_backup_archive_bytes of the deleted Backup to go",
                t -> t.find("backtrack_backup_archive_bytes", "namespace", ns, "name", "good").isEmpty());
        assertThat(scrape().value("backtrack_backups_total", "namespace", ns, "schedule", "", "result", "completed")).hasValue(1.0);
    }

    @Test
    void schedulesExportLastSuccessIntervalAndPruning() {
        String ns = env.namespace("metrics-sched");
        env.postgres().createDatabase("metrics_nightly");
        SampleData.load(env.postgres(), "metrics_nightly");
        BackupSchedule schedule = ScheduleFactory.of(BackupFactory.of(env, "metrics_nightly", BUCKET), "@hourly")
                .withKeepLast(1).build(ns, "nightly");
        env.client().resource(schedule).create();
        env.awaitSchedule(ns, "nightly", s -> s.getStatus() != null && s.getStatus().nextScheduleTime() != null, TIMEOUT);

        PrometheusText m = awaitMetrics("the schedule's interval", t -> t.value("backtrack_schedule_interval_seconds",
                "namespace", ns, "schedule", "nightly").isPresent());
        assertThat(m.value("backtrack_schedule_interval_seconds", "namespace", ns, "schedule", "nightly")).hasValue(3600.0);
        BackupSchedule created = env.schedule(ns, "nightly");
        assertThat(m.value("backtrack_schedule_created_timestamp_seconds", "namespace", ns, "schedule", "nightly"))
                .hasValue((double) Instant.parse(created.getMetadata().getCreationTimestamp()).getEpochSecond());
        assertThat(m.find("backtrack_schedule_last_success_timestamp_seconds", "namespace", ns, "schedule", "nightly"))
                .as("no success yet").isEmpty();

        Backup first = fireAndFinish(ns, "nightly");
        assertThat(first.getStatus().phase()).as("%s", first.getStatus()).isEqualTo(BackupPhase.Completed);
        BackupSchedule afterFirst = env.awaitSchedule(ns, "nightly", s -> s.getStatus().lastSuccessTime() != null, TIMEOUT);
        double firstSuccess = epochSeconds(afterFirst.getStatus().lastSuccessTime());
        m = awaitMetrics("the schedule's last success", t -> t.value("backtrack_schedule_last_success_timestamp_seconds",
                "namespace", ns, "schedule", "nightly").map(v -> v == firstSuccess).orElse(false));
        assertThat(m.value("backtrack_backups_total", "namespace", ns, "schedule", "nightly", "result", "completed")).hasValue(1.0);

        // keepLast 1: the second run's success prunes the first.
        Backup second = fireAndFinish(ns, "nightly");
        assertThat(second.getStatus().phase()).as("%s", second.getStatus()).isEqualTo(BackupPhase.Completed);
        m = awaitMetrics("the first run to be pruned", t -> t.value("backtrack_retention_pruned_backups_total",
                "namespace", ns, "schedule", "nightly").orElse(0.0) >= 1.0);
        assertThat(m.value("backtrack_retention_pruned_backups_total", "namespace", ns, "schedule", "nightly")).hasValue(1.0);
        assertThat(m.value("backtrack_retention_pruned_bytes_total", "namespace", ns, "schedule", "nightly"))
                .hasValue((double) first.getStatus().archive().sizeBytes());
        assertThat(m.find("backtrack_retention_errors_total", "namespace", ns, "schedule", "nightly")
                .stream().mapToDouble(PrometheusText.Sample::value).sum()).isZero();
        double secondSuccess = epochSeconds(env.awaitSchedule(ns, "nightly",
                s -> Objects.equals(second.getMetadata().getName(), s.getStatus().lastSuccessfulBackup()), TIMEOUT)
                .getStatus().lastSuccessTime());
        awaitMetrics("the last success to move to the second run", t -> t.value("backtrack_schedule_last_success_timestamp_seconds",
                "namespace", ns, "schedule", "nightly").map(v -> v == secondSuccess).orElse(false));
        awaitMetrics("the pruned Backup's archive series to go", t -> t.find("backtrack_backup_archive_bytes",
                "namespace", ns, "name", first.getMetadata().getName()).isEmpty());

        // Deleting the schedule removes its gauges (its Backups stay), so no alert fires for a schedule that is gone.
        env.client().resource(env.schedule(ns, "nightly")).delete();
        awaitMetrics("the deleted schedule's gauges to go", t -> t.find("backtrack_schedule_interval_seconds", "namespace", ns).isEmpty()
                && t.find("backtrack_schedule_last_success_timestamp_seconds", "namespace", ns).isEmpty()
                && t.find("backtrack_schedule_created_timestamp_seconds", "namespace", ns).isEmpty());
    }

    // --- helpers ---

    static PrometheusText scrape() {
        OperatorProcess.HttpResult r = env.operator().get("/q/metrics");
        assertThat(r.status()).as("GET /q/metrics: %s", r.body()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    static PrometheusText awaitMetrics(String what, Function<PrometheusText, Boolean> condition) {
        PrometheusText[] last = new PrometheusText[1];
        env.await(what, () -> condition.apply(last[0] = scrape()), TIMEOUT);
        return last[0];
    }

    @SuppressWarnings("unchecked")
    static <T extends io.fabric8.kubernetes.client.CustomResource<?, ?>> T createAndAwait(T resource) {
        env.client().resource(resource).create();
        return (T) env.await((Class<T>) resource.getClass(), resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                r -> r.getStatus() != null && terminal(r.getStatus()), TIMEOUT);
    }

    private static boolean terminal(Object status) {
        if (status instanceof io.backtrack.api.backup.BackupStatus b) {
            return b.phase() != null && b.phase().isTerminal();
        }
        if (status instanceof io.backtrack.api.restore.RestoreStatus r) {
            return r.phase() != null && r.phase().isTerminal();
        }
        return false;
    }

    /** Moves the operator's clock to the schedule's next run and waits for that run's Backup to finish. */
    private static Backup fireAndFinish(String ns, String schedule) {
        BackupSchedule s = env.awaitSchedule(ns, schedule, x -> x.getStatus() != null && x.getStatus().nextScheduleTime() != null
                && Objects.equals(x.getStatus().observedGeneration(), x.getMetadata().getGeneration()), TIMEOUT);
        Instant due = Instant.parse(s.getStatus().nextScheduleTime());
        env.operatorClock().advanceTo(due);
        env.awaitSchedule(ns, schedule, x -> due.toString().equals(x.getStatus().lastScheduleTime()), TIMEOUT);
        String name = schedule + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(due);
        return env.awaitBackup(ns, name, b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
    }

    private static double epochSeconds(String timestamp) {
        Instant t = Instant.parse(timestamp);
        return t.getEpochSecond() + t.getNano() / 1e9;
    }
}
