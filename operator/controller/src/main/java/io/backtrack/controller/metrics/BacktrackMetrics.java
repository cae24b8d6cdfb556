package io.backtrack.controller.metrics;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreStatus;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backtrack's Prometheus metrics (Micrometer, served at /q/metrics). The reconcilers call it where they record a
 * terminal status, so a metric never says more than the resource's status does. Labels are bounded by the
 * resources that exist: counters by namespace (and schedule), gauges per Backup or BackupSchedule that are removed
 * when it is deleted. Every method is safe to call again for the same resource.
 * See docs/metrics.md for every metric and the alerts built on them.
 */
@ApplicationScoped
public class BacktrackMetrics {
    private static final Logger LOG = Logger.getLogger(BacktrackMetrics.class);

    public static final String BACKUPS = "backtrack.backups";
    public static final String BACKUP_DURATION = "backtrack.backup.duration";
    public static final String BACKUP_ARCHIVE_BYTES = "backtrack.backup.archive.bytes";
    public static final String RESTORES = "backtrack.restores";
    public static final String RESTORE_DURATION = "backtrack.restore.duration";
    public static final String RESTORE_MISMATCHES = "backtrack.restore.verification.mismatches";
    public static final String SCHEDULE_LAST_SUCCESS = "backtrack.schedule.last.success.timestamp.seconds";
    public static final String SCHEDULE_CREATED = "backtrack.schedule.created.timestamp.seconds";
    public static final String SCHEDULE_INTERVAL = "backtrack.schedule.interval.seconds";
    public static final String PRUNED_BACKUPS = "backtrack.retention.pruned.backups";
    public static final String PRUNED_BYTES = "backtrack.retention.pruned.bytes";
    public static final String RETENTION_ERRORS = "backtrack.retention.errors";
    public static final String ARCHIVES_KEPT_ON_NAMESPACE_DELETION = "backtrack.archives.kept.on.namespace.deletion";

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    /** The schedule label of a Backup that no schedule created. */
    public static final String NO_SCHEDULE = "";

    /** Buckets for backup and restore durations: seconds to hours. */
    private static final Duration[] DURATION_BUCKETS = {Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8)};
    /** Finished resources remembered to count each once; far more than can finish between two status patches. */
    private static final int MAX_REMEMBERED = 10_000;

    private final MeterRegistry registry;
    private final KubernetesClient client;
    /** Gauge values by meter id; the gauges read them, so the map holds the only strong reference. */
    private final Map<Key, Held> gauges = new ConcurrentHashMap<>();
    /** Backups already counted as finished in this process, by uid (a retried status patch must not count twice). */
    private final Map<String, String> counted = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });

    public BacktrackMetrics(MeterRegistry registry, KubernetesClient client) {
        this.registry = registry;
        this.client = client;
    }

    // ---- Backup ------------------------------------------------------------------------------------------

    /**
     * A Backup is being handled: make its counters exist (at 0) so that the first failure is an increase an alert sees,
     * and export its archive size once it has completed (also after an operator restart).
     */
    public void backupSeen(Backup backup) {
        String ns = backup.getMetadata().getNamespace();
        String schedule = scheduleOf(backup);
        backupCounter(ns, schedule, COMPLETED);
        backupCounter(ns, schedule, FAILED);
        BackupStatus status = backup.getStatus();
        if (status != null && status.phase() == BackupPhase.Completed && status.archive() != null
                && status.archive().sizeBytes() != null) {
            gauge(new Key(BACKUP_ARCHIVE_BYTES, Tags.of("namespace", ns, "name", backup.getMetadata().getName())), "bytes",
                    "Size of the archive of a completed Backup (one series per existing Backup)")
                    .set(status.archive().sizeBytes());
        }
    }

    /** The Backup reached Completed or Failed (its status is already set); counted once per Backup. */
    public void backupFinished(Backup backup) {
        BackupStatus status = backup.getStatus();
        if (status == null || status.phase() == null || !status.phase().isTerminal()) {
            return;
        }
        String result = status.phase() == BackupPhase.Completed ? COMPLETED : FAILED;
        backupSeen(backup);
        if (counted.putIfAbsent(uid(backup), result) != null) {
            return;
        }
        String ns = backup.getMetadata().getNamespace();
        backupCounter(ns, scheduleOf(backup), result).increment();
        if (status.durationSeconds() != null) {
            durationTimer(BACKUP_DURATION, "Time from the backup Job's creation to the Backup's completion or failure",
                    ns, result).record(seconds(status.durationSeconds()));
        }
    }

    /** The Backup is being deleted: drop its series, and a deleted schedule's gauges with its last Backup. */
    public void backupDeleted(Backup backup) {
        String ns = backup.getMetadata().getNamespace();
        forget(new Key(BACKUP_ARCHIVE_BYTES, Tags.of("namespace", ns, "name", backup.getMetadata().getName())));
        counted.remove(uid(backup));
        String schedule = scheduleOf(backup);
        if (!schedule.isEmpty() && tracksSchedule(ns, schedule) && !scheduleExists(ns, schedule)) {
            scheduleDeleted(ns, schedule);
        }
    }

    /** Retention or a ttl deleted a Backup (its archive goes with it when its deletionPolicy is Delete). */
    public void backupPruned(Backup backup) {
        String ns = backup.getMetadata().getNamespace();
        String schedule = scheduleOf(backup);
        Tags tags = Tags.of("namespace", ns, "schedule", schedule);
        Counter.builder(PRUNED_BACKUPS).description("Backups deleted by retention or their ttl").tags(tags)
                .register(registry).increment();
        long bytes = backup.getStatus() == null || backup.getStatus().archive() == null
                || backup.getStatus().archive().sizeBytes() == null ? 0 : backup.getStatus().archive().sizeBytes();
        Counter.builder(PRUNED_BYTES).description("Archive bytes of the Backups retention or their ttl deleted")
                .baseUnit("bytes").tags(tags).register(registry).increment(bytes);
    }

    /**
     * Pruning went wrong: {@code DeleteFailed} (the API server refused to delete a Backup) or {@code ArchiveNotDeleted}
     * (a deletionPolicy Delete Backup went away but its objects stayed in the bucket).
     */
    public void pruneError(Backup backup, String reason) {
        retentionErrors(backup.getMetadata().getNamespace(), scheduleOf(backup), reason).increment();
    }

    /**
     * A Backup with deletionPolicy Delete went away with its namespace: its archive was kept (namespace teardown never
     * deletes archives). Its Warning Event ArchiveKept, in the operator's namespace, names the folder.
     */
    public void archiveKeptOnNamespaceDeletion(Backup backup) {
        Counter.builder(ARCHIVES_KEPT_ON_NAMESPACE_DELETION)
                .description("Archives of deletionPolicy Delete Backups kept because their namespace was being deleted")
                .tags("namespace", backup.getMetadata().getNamespace()).register(registry).increment();
    }

    // ---- Restore -----------------------------------------------------------------------------------------

    /** A Restore is being handled: its counters exist (at 0) before its first failure. */
    public void restoreSeen(Restore restore) {
        String ns = restore.getMetadata().getNamespace();
        restoreCounter(ns, COMPLETED);
        restoreCounter(ns, FAILED);
        mismatchCounter(ns);
    }

    /** The Restore reached Completed or Failed (its status is already set); counted once per Restore. */
    public void restoreFinished(Restore restore) {
        RestoreStatus status = restore.getStatus();
        if (status == null || status.phase() == null || !status.phase().isTerminal()) {
            return;
        }
        String result = status.phase() == io.backtrack.api.restore.RestorePhase.Completed ? COMPLETED : FAILED;
        restoreSeen(restore);
        if (counted.putIfAbsent(uid(restore), result) != null) {
            return;
        }
        String ns = restore.getMetadata().getNamespace();
        restoreCounter(ns, result).increment();
        if (status.durationSeconds() != null) {
            durationTimer(RESTORE_DURATION, "Time from the Restore's start to its completion or failure (the measured recovery time)",
                    ns, result).record(seconds(status.durationSeconds()));
        }
        if (status.verification() != null && status.verification().mismatches() != null) {
            mismatchCounter(ns).increment(status.verification().mismatches().size());
        }
    }

    // ---- BackupSchedule ----------------------------------------------------------------------------------

    /**
     * The schedule as just reconciled: its creation time, its last success and the longest gap between two of its
     * runs (empty while it is suspended, so a paused schedule never looks overdue).
     *
     * @param lastSuccessTime status.lastSuccessTime, or null
     */
    public void scheduleObserved(BackupSchedule schedule, String lastSuccessTime, Optional<Duration> interval) {
        String ns = schedule.getMetadata().getNamespace();
        String name = schedule.getMetadata().getName();
        Tags tags = Tags.of("namespace", ns, "schedule", name);
        parse(schedule.getMetadata().getCreationTimestamp()).ifPresent(created ->
                gauge(new Key(SCHEDULE_CREATED, tags), null, "When the BackupSchedule was created (unix seconds)")
                        .set(created.getEpochSecond()));
        parse(lastSuccessTime).ifPresentOrElse(success ->
                gauge(new Key(SCHEDULE_LAST_SUCCESS, tags), null,
                        "When the newest completed Backup of the schedule completed (unix seconds)")
                        .set(success.getEpochSecond() + success.getNano() / 1e9),
                () -> forget(new Key(SCHEDULE_LAST_SUCCESS, tags)));
        interval.ifPresentOrElse(i -> gauge(new Key(SCHEDULE_INTERVAL, tags), null,
                        "Longest gap between two consecutive runs of the schedule (seconds); absent while suspended")
                        .set(i.toSeconds()),
                () -> forget(new Key(SCHEDULE_INTERVAL, tags)));
    }

    /** The schedule is gone or invalid: its gauges go (its counters stay, as counters do). */
    public void scheduleDeleted(String namespace, String schedule) {
        Tags tags = Tags.of("namespace", namespace, "schedule", schedule);
        forget(new Key(SCHEDULE_LAST_SUCCESS, tags));
        forget(new Key(SCHEDULE_CREATED, tags));
        forget(new Key(SCHEDULE_INTERVAL, tags));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private Counter backupCounter(String namespace, String schedule, String result) {
        return Counter.builder(BACKUPS).description("Backups that finished, by result (completed or failed)")
                .tags("namespace", namespace, "schedule", schedule, "result", result).register(registry);
    }

    private Counter restoreCounter(String namespace, String result) {
        return Counter.builder(RESTORES).description("Restores that finished, by result (completed or failed)")
                .tags("namespace", namespace, "result", result).register(registry);
    }

    private Counter mismatchCounter(String namespace) {
        return Counter.builder(RESTORE_MISMATCHES)
                .description("Tables whose restored row count differed from the backup's manifest")
                .tags("namespace", namespace).register(registry);
    }

    private Counter retentionErrors(String namespace, String schedule, String reason) {
        return Counter.builder(RETENTION_ERRORS).description("Backups retention or a ttl could not delete, or whose archive stayed in the bucket")
                .tags("namespace", namespace, "schedule", schedule, "reason", reason).register(registry);
    }

    private Timer durationTimer(String name, String description, String namespace, String result) {
        return Timer.builder(name).description(description).tags("namespace", namespace, "result", result)
                .serviceLevelObjectives(DURATION_BUCKETS).register(registry);
    }

    private Value gauge(Key key, String baseUnit, String description) {
        return gauges.computeIfAbsent(key, k -> {
            Value value = new Value();
            Gauge gauge = Gauge.builder(k.name(), value, Value::get).description(description).baseUnit(baseUnit)
                    .tags(k.tags()).strongReference(true).register(registry);
            return new Held(value, gauge);
        }).value();
    }

    private void forget(Key key) {
        Held held = gauges.remove(key);
        if (held != null) {
            registry.remove(held.gauge());
        }
    }

    private boolean tracksSchedule(String namespace, String schedule) {
        Tags tags = Tags.of("namespace", namespace, "schedule", schedule);
        return gauges.containsKey(new Key(SCHEDULE_CREATED, tags)) || gauges.containsKey(new Key(SCHEDULE_INTERVAL, tags))
                || gauges.containsKey(new Key(SCHEDULE_LAST_SUCCESS, tags));
    }

    private boolean scheduleExists(String namespace, String schedule) {
        try {
            BackupSchedule s = client.resources(BackupSchedule.class).inNamespace(namespace).withName(schedule).get();
            return s != null && s.getMetadata().getDeletionTimestamp() == null;
        } catch (KubernetesClientException e) {
            LOG.debugf("cannot tell whether schedule %s/%s exists: %s", namespace, schedule, e.getMessage());
            return true;
        }
    }

    static String scheduleOf(Backup backup) {
        String schedule = LabelValues.nameIn(backup, BacktrackApi.SCHEDULE_LABEL);
        return schedule == null ? NO_SCHEDULE : schedule;
    }

    private static String uid(HasMetadata resource) {
        String uid = resource.getMetadata().getUid();
        return resource.getKind() + "/" + (uid != null ? uid
                : resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName());
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(Math.max(0, seconds) * 1000));
    }

    private static Optional<Instant> parse(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private record Key(String name, Tags tags) {
    }

    private record Held(Value value, Gauge gauge) {
    }

    private static final class Value {
        private volatile double value = Double.NaN;

        void set(double v) {
            value = v;
        }

        double get() {
            return value;
        }
    }
}
