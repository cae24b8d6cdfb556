package io.backtrack.controller.concurrency;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStatus;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.job.JobOutcome;
import io.backtrack.controller.naming.LabelValues;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator-wide cap on agent Jobs (backtrack.agent.max-running-jobs) and one agent Job per database, decided by
 * {@link JobAdmission} over what the cluster shows: the agent Jobs that run (the Backup controller's informer of
 * every Job labelled managed-by backtrack) and the Restores in progress (its informer of Restores), never a count
 * kept only in memory, so an operator restart or a new leader (only the leader reconciles) sees the same. A Restore
 * in progress holds one slot and its database from its start to its end, for all its steps and its safety backup.
 * The one thing kept in memory: what this operator admitted in the last moments and the informers do not show yet
 * (a reservation per admission, dropped once they do), so two reconciles in parallel never take the same slot.
 */
@ApplicationScoped
public class ConcurrencyGate {
    static final String CONTROLLER_NOT_READY = "waiting for the operator's caches of Jobs and Restores to start";
    /** How old a view of the caches may be: a queue of a thousand Backups looks at them once per second, not per Backup. */
    private static final Duration SNAPSHOT_AGE = Duration.ofSeconds(1);
    private static final Duration RESERVATION_LIFETIME = Duration.ofSeconds(60);
    public static final Duration RECHECK = Duration.ofSeconds(5);
    private static final long MAX_RECHECK_ROUNDS = 12;

    private final int cap;
    private volatile Watched<Job> jobs;
    private volatile Watched<Restore> restores;
    private volatile Supplier<Stream<Backup>> backups = Stream::empty;
    /** Whether {@link #backups} is the Backup controller's cache yet (it is handed over with the first admission). */
    private volatile boolean backupsKnown;
    private final Map<String, Reservation> reservations = new HashMap<>();
    private Snapshot snapshot;
    /** The view and the admission built on it, until the snapshot or the reservations change. */
    private View view;
    private JobAdmission admission;

    public ConcurrencyGate(BacktrackConfig config, MeterRegistry registry) {
        this.cap = config.agent().maxRunningJobs();
        Gauge.builder("backtrack.agent.jobs.running", this, g -> g.view().holders().size())
                .description("Agent Job slots in use: running backup and cleanup Jobs, and Restores in progress").register(registry);
        Gauge.builder("backtrack.agent.jobs.queued", this, g -> g.view().waiting().size())
                .description("Backups and Restores waiting (phase Pending, reason Queued) for a slot or their database")
                .register(registry);
        Gauge.builder("backtrack.agent.jobs.max", this, g -> g.cap)
                .description("The operator-wide cap on agent Job slots (backtrack.agent.max-running-jobs)").register(registry);
    }

    /**
     * When waiting work looks again: every 5 s at the head of the queue, less often the further back it is (at most
     * every minute), so a queue of thousands costs a few reconciles a second, not thousands.
     */
    public Duration recheckAfter(JobAdmission.Decision decision) {
        long rounds = Math.min(MAX_RECHECK_ROUNDS, 1 + decision.ahead() / Math.max(1, cap));
        return RECHECK.multipliedBy(rounds);
    }

    /** The Backup controller hands over its informers of all agent Jobs and of Restores. */
    public <J extends AbstractEventSource<Job, ?> & Cache<Job>, R extends AbstractEventSource<Restore, ?> & Cache<Restore>>
    void watch(J agentJobs, R allRestores) {
        this.jobs = new Watched<>(agentJobs::isRunning, agentJobs);
        this.restores = new Watched<>(allRestores::isRunning, allRestores);
    }

    /** An informer's cache, and whether it runs (has synced and is watching). */
    private record Watched<T>(BooleanSupplier running, Cache<T> cache) {
        Stream<T> list() {
            return cache.list();
        }
    }

    /** @param allBackups the Backup controller's cache (the waiting Backups are read from it) */
    public synchronized JobAdmission.Decision admitBackup(Backup backup, Supplier<Stream<Backup>> allBackups) {
        this.backups = allBackups;
        this.backupsKnown = true;
        if (!ready()) {
            return JobAdmission.Decision.waiting(CONTROLLER_NOT_READY);
        }
        View view = view();
        Optional<String> restore = ownRestore(backup);
        if (restore.isPresent() && view.holds(restore.get())) {
            return JobAdmission.Decision.ADMITTED; // a safety backup runs within its Restore's slot and database
        }
        if (admission == null) {
            admission = new JobAdmission(view.holders(), view.waiting());
        }
        return admit(backupWork(backup), view, admission);
    }

    public synchronized JobAdmission.Decision admitRestore(Restore restore, String target) {
        if (!ready()) {
            return JobAdmission.Decision.waiting(CONTROLLER_NOT_READY);
        }
        View view = view();
        // Restores go ahead of every Backup: only the Restores queued earlier are ahead of this one.
        return admit(restoreWork(restore, target), view,
                new JobAdmission(view.holders(), view.waiting().stream().filter(Work::restore).toList()));
    }

    /** A cleanup Job deletes from storage only: it needs a slot, not a database, and joins no queue. */
    public synchronized boolean admitCleanup(Backup backup) {
        if (!ready()) {
            return false;
        }
        Work cleanup = new Work(id("Cleanup", backup), null, false, created(backup), "cleanup of " + describe("Backup", backup));
        View view = view();
        return admit(cleanup, view, new JobAdmission(view.holders(), List.of())).admitted();
    }

    /** Other work holding the Restore's database now (its own safety backup excepted), for a Restore about to write. */
    public synchronized Optional<String> otherWorkOn(Restore restore, String target) {
        if (!ready()) {
            return Optional.of(CONTROLLER_NOT_READY);
        }
        Work self = restoreWork(restore, target);
        return view().holders().stream().filter(h -> !h.id().equals(self.id()) && h.sameDatabase(self))
                .findFirst().map(Work::description);
    }

    private JobAdmission.Decision admit(Work candidate, View view, JobAdmission queue) {
        JobAdmission.Decision decision = queue.decide(candidate, cap);
        if (decision.admitted() && !view.holds(candidate.id())) {
            reservations.put(candidate.id(), new Reservation(candidate, Instant.now().plus(RESERVATION_LIFETIME)));
            this.view = null;
            this.admission = null;
        }
        return decision;
    }

    private boolean ready() {
        return jobs != null && restores != null && jobs.running().getAsBoolean() && restores.running().getAsBoolean();
    }

    /** The caches as of at most {@link #SNAPSHOT_AGE} ago, with this operator's recent admissions on top. */
    synchronized View view() {
        long now = System.nanoTime();
        if (snapshot == null || now - snapshot.takenAt() > SNAPSHOT_AGE.toNanos()) {
            snapshot = ready() ? take(now) : new Snapshot(List.of(), List.of(), Set.of(), Set.of(), now);
            view = null;
            admission = null;
        }
        if (view == null) {
            Instant wall = Instant.now();
            // Dropped once the caches show the work started, or show its Backup or Restore gone (deleted before a
            // snapshot saw its Job: it holds nothing any more), or after its lifetime.
            reservations.values().removeIf(r -> snapshot.seen().contains(r.work().id())
                    || snapshot.gone(r.work().id()) || r.expires().isBefore(wall));
            List<Work> holders = new ArrayList<>(snapshot.holders());
            reservations.values().forEach(r -> holders.add(r.work()));
            List<Work> waiting = snapshot.waiting().stream().filter(w -> !reservations.containsKey(w.id())).toList();
            view = new View(holders, waiting, snapshot.seen());
        }
        return view;
    }

    private Snapshot take(long now) {
        List<Work> holders = new ArrayList<>();
        List<Work> waiting = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> present = new HashSet<>();
        Set<String> restoresInProgress = new HashSet<>();
        restores.list().forEach(r -> {
            present.add(id("Restore", r));
            RestoreStatus s = r.getStatus();
            if (s != null && s.startedAt() != null) {
                seen.add(id("Restore", r));
                if (s.phase() != null && !s.phase().isTerminal()) {
                    holders.add(restoreWork(r, s.target()));
                    restoresInProgress.add(id("Restore", r));
                }
            } else if (r.getMetadata().getDeletionTimestamp() == null && waitingForASlot(s == null ? null : s.phase(),
                    s == null ? null : s.conditions())) {
                waiting.add(restoreWork(r, s == null ? null : s.target()));
            }
        });
        jobs.list().forEach(j -> {
            Optional<Work> work = jobWork(j);
            work.ifPresent(w -> seen.add(w.id()));
            String restore = labels(j).get(BacktrackApi.RESTORE_LABEL);
            boolean coveredByItsRestore = restore != null
                    && restoresInProgress.contains("Restore/" + j.getMetadata().getNamespace() + "/" + restore);
            if (!JobOutcome.isFinished(j) && !coveredByItsRestore) {
                work.ifPresent(holders::add);
            }
        });
        backups.get().forEach(b -> {
            BackupStatus s = b.getStatus();
            present.add(id("Backup", b));
            present.add(id("Cleanup", b));
            if (s != null && s.jobName() != null) {
                seen.add(id("Backup", b));
            }
            Optional<String> restore = ownRestore(b);
            boolean coveredByItsRestore = restore.isPresent() && restoresInProgress.contains(restore.get());
            if (b.getMetadata().getDeletionTimestamp() == null && b.getSpec() != null && b.getSpec().database() != null
                    && (s == null || s.jobName() == null) && !coveredByItsRestore
                    && waitingForASlot(s == null ? null : s.phase(), s == null ? null : s.conditions())) {
                waiting.add(backupWork(b));
            }
        });
        return new Snapshot(holders, waiting, seen, backupsKnown ? present : null, now);
    }

    /** Not started and not held back for another reason (SecretNotFound, RestoreInProgress): new, or Queued. */
    static boolean waitingForASlot(Enum<?> phase, List<Condition> conditions) {
        if (phase == null) {
            return true;
        }
        if (phase != BackupPhase.Pending && phase != RestorePhase.Pending) {
            return false;
        }
        String reason = Conditions.readyReason(conditions);
        return reason == null || ConditionReason.Queued.name().equals(reason);
    }

    /** What a running agent Job holds: its Backup's or Restore's slot and database, or a cleanup's slot. */
    static Optional<Work> jobWork(Job job) {
        Map<String, String> labels = labels(job);
        String ns = job.getMetadata().getNamespace();
        String role = labels.get(BacktrackApi.ROLE_LABEL);
        String database = labels.get(BacktrackApi.DATABASE_LABEL);
        Instant created = created(job);
        if (labels.containsKey(BacktrackApi.STEP_LABEL) && labels.get(BacktrackApi.RESTORE_LABEL) != null) {
            String name = labels.get(BacktrackApi.RESTORE_LABEL);
            return Optional.of(new Work("Restore/" + ns + "/" + name, database, true, created, "Restore " + ns + "/" + name));
        }
        String backup = labels.get(BacktrackApi.BACKUP_LABEL);
        if (backup == null) {
            return Optional.empty();
        }
        if ("cleanup".equals(role)) {
            return Optional.of(new Work("Cleanup/" + ns + "/" + backup, null, false, created, "cleanup of Backup " + ns + "/" + backup));
        }
        return Optional.of(new Work("Backup/" + ns + "/" + backup, database, false, created, "Backup " + ns + "/" + backup));
    }

    static Work backupWork(Backup b) {
        var db = b.getSpec().database();
        return new Work(id("Backup", b), LabelValues.of(db.address()),
                false, created(b), describe("Backup", b));
    }

    static Work restoreWork(Restore r, String target) {
        return new Work(id("Restore", r), target == null ? null : LabelValues.of(target), true, created(r), describe("Restore", r));
    }

    /** A safety Backup's Restore, as the id of its work. */
    private static Optional<String> ownRestore(Backup b) {
        String restore = labels(b).get(BacktrackApi.RESTORE_LABEL);
        return Optional.ofNullable(restore).map(r -> "Restore/" + b.getMetadata().getNamespace() + "/" + r);
    }

    private static String id(String kind, HasMetadata o) {
        return kind + "/" + o.getMetadata().getNamespace() + "/" + LabelValues.of(o.getMetadata().getName());
    }

    private static String describe(String kind, HasMetadata o) {
        return kind + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    private static Instant created(HasMetadata o) {
        String t = o.getMetadata().getCreationTimestamp();
        return t == null ? Instant.MAX : Instant.parse(t);
    }

    private static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    }

    private record Reservation(Work work, Instant expires) {
    }

    /** @param present ids of the Backups (and their cleanups) and Restores in the caches; null: Backups not known yet */
    private record Snapshot(List<Work> holders, List<Work> waiting, Set<String> seen, Set<String> present,
                            long takenAt) {
        /** Whether the caches show that the work's Backup or Restore no longer exists. */
        boolean gone(String id) {
            return present != null && !present.contains(id);
        }
    }

    /** @param seen ids the caches show as started (their Job exists, or the Restore recorded its start) */
    record View(List<Work> holders, List<Work> waiting, Set<String> seen) {
        boolean holds(String id) {
            return holders.stream().anyMatch(h -> h.id().equals(id));
        }
    }
}
