package io.backtrack.controller.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.backtrack.api.drill.DrillCheckRecord;
import io.backtrack.api.drill.DrillOutcome;
import io.backtrack.api.drill.DrillRecord;
import io.backtrack.api.drill.DrillSpec;
import io.backtrack.api.drill.RestoreDrill;
import io.backtrack.api.job.JobSettings;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStatus;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.names.DatabaseNames;
import io.backtrack.controller.drill.DrillChecks;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.job.EncryptionAccess;
import io.backtrack.controller.metrics.BacktrackMetrics;
import io.backtrack.controller.naming.LabelValues;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A schedule's restore drills, one step per reconcile: record how the running drill ended (from the Restore it owns),
 * start the next one when it is due (drill.schedule, or every N completed backups) on the newest completed backup,
 * keep drill.historyLimit finished drill Restores, and say it in status (lastDrill, drillHistory, DrillFailed) and the
 * drill metrics. A drill is a Restore labelled as one, so the Restore controller's queue, concurrency cap, backup
 * protection and refusal of the live database apply to it unchanged. A drill never runs beside another of the same
 * schedule, and nothing here deletes a Backup.
 */
final class ScheduleDrills {
    private static final Logger LOG = Logger.getLogger(ScheduleDrills.class);

    private final KubernetesClient client;
    private final EventRecorder events;
    private final BacktrackMetrics metrics;

    ScheduleDrills(KubernetesClient client, EventRecorder events, BacktrackMetrics metrics) {
        this.client = client;
        this.events = events;
        this.metrics = metrics;
    }

    /** A drill's problem with the spec: the schedule's backups are not affected, only its drills. */
    record Plan(Optional<CronSchedule> cron, Optional<String> problem) {
    }

    /**
     * @param drills the schedule's drill Restores
     * @param runs   the schedule's Backups
     * @param sameSpec whether the status describes this generation (else drill.schedule may have changed)
     * @return when the next drill is due (to wake then), if it is on a clock
     */
    Optional<Instant> reconcile(BackupSchedule schedule, ValidSchedule valid, List<ScheduleRun> runs,
                                List<Restore> drills, boolean sameSpec, ScheduleStatusDraft draft, Instant now) {
        DrillSpec spec = schedule.getSpec().drill();
        DrillState state = draft.drills();
        if (spec == null) {
            draft.drills(new DrillState(null, null, null, null, state.lastDrill(), state.history())).noDrillCondition();
            metrics.drillsObserved(schedule, Optional.empty(), null, Optional.empty());
            return Optional.empty();
        }
        Plan plan = plan(schedule, spec, valid);
        String since = state.drillSince() != null ? state.drillSince() : now.toString();
        if (plan.problem().isPresent()) {
            String message = "drills cannot run: " + plan.problem().get();
            if (!Conditions.says(schedule.getStatus() == null ? null : schedule.getStatus().conditions(),
                    ConditionType.DrillFailed, true, ConditionReason.InvalidSpec.name(), message)) {
                events.warning(schedule, "DrillFailed", message);
            }
            draft.drills(new DrillState(null, null, since, state.activeDrill(), state.lastDrill(), state.history()))
                    .drillFailed(true, ConditionReason.InvalidSpec.name(), message, now);
            metrics.drillsObserved(schedule, lastSuccess(state), since, Optional.empty());
            return Optional.empty();
        }
        DrillRecord active = state.activeDrill();
        DrillRecord last = state.lastDrill();
        List<DrillRecord> history = new ArrayList<>(state.history());
        Map<String, Restore> byName = new LinkedHashMap<>();
        drills.forEach(r -> byName.put(r.getMetadata().getName(), r));
        if (active == null) {
            // A drill Restore whose start the status lost (a status write that failed): still only one at a time.
            active = drills.stream().filter(r -> !terminal(r)).findFirst()
                    .map(r -> running(r, r.getSpec().backupName(), r.getMetadata().getCreationTimestamp())).orElse(null);
        }
        if (active != null) {
            Restore restore = byName.get(active.restore());
            if (restore == null || terminal(restore)) {
                DrillRecord done = finished(active, restore, now);
                last = done;
                history.add(0, done);
                active = null;
                announce(schedule, done, draft, now);
            }
        }
        history = history.subList(0, Math.min(history.size(), spec.historyLimitOrDefault()));

        boolean suspended = schedule.getSpec().suspended();
        String nextDrillTime = null;
        Long sinceLast = null;
        String countFrom = active != null ? active.startedAt() : last != null ? last.startedAt() : since;
        if (spec.everyBackups() != null) {
            sinceLast = runs.stream().filter(r -> r.state() == ScheduleRun.State.COMPLETED)
                    .filter(r -> r.finishedAt().isAfter(Instant.parse(countFrom))).count();
        } else {
            CronSchedule cron = plan.cron().orElseThrow();
            Instant recorded = !sameSpec || state.nextDrillTime() == null ? null : Instant.parse(state.nextDrillTime());
            Instant next = recorded != null ? recorded : cron.nextAfter(now).orElse(null);
            nextDrillTime = next == null ? null : next.toString();
        }
        boolean due = !suspended && (spec.everyBackups() != null
                ? sinceLast >= spec.everyBackups()
                : nextDrillTime != null && !now.isBefore(Instant.parse(nextDrillTime)));
        if (due && active != null) {
            // Never two drills of one schedule at a time: this one waits for the next due time.
            LOG.infof("drill skipped namespace=%s schedule=%s reason=DrillRunning restore=%s", ns(schedule),
                    schedule.getMetadata().getName(), active.restore());
            if (spec.everyBackups() == null) {
                events.normal(schedule, "DrillSkipped", "a drill was due, but drill " + active.restore()
                        + " still runs; the next one is due at the next drill time");
            }
        } else if (due) {
            Optional<ScheduleRun> newest = runs.stream().filter(r -> r.state() == ScheduleRun.State.COMPLETED)
                    .max(Comparator.comparing(ScheduleRun::finishedAt));
            if (newest.isPresent()) {
                active = start(schedule, spec, newest.get().name(), now);
                sinceLast = 0L;
            } else {
                LOG.infof("drill skipped namespace=%s schedule=%s reason=NoCompletedBackup", ns(schedule),
                        schedule.getMetadata().getName());
                events.normal(schedule, "DrillSkipped", "a drill was due, but the schedule has no completed backup yet");
            }
        }
        if (due && spec.everyBackups() == null) {
            nextDrillTime = plan.cron().orElseThrow().nextAfter(now).map(Instant::toString).orElse(null);
        }
        pruneFinished(schedule, drills, active, spec.historyLimitOrDefault());
        DrillState after = new DrillState(suspended ? null : nextDrillTime, sinceLast, since, active, last, history);
        draft.drills(after);
        Optional<Duration> interval = suspended ? Optional.empty() : interval(spec, plan, valid, now);
        metrics.drillsObserved(schedule, lastSuccess(after), since, interval);
        return Optional.ofNullable(after.nextDrillTime()).map(Instant::parse);
    }

    /** The drill's cron (H seeded apart from the backups'), or what is wrong with the drill block. */
    static Plan plan(BackupSchedule schedule, DrillSpec spec, ValidSchedule valid) {
        List<String> problems = new ArrayList<>();
        Optional<CronSchedule> cron = Optional.empty();
        if ((spec.schedule() == null) == (spec.everyBackups() == null)) {
            problems.add("set exactly one of drill.schedule and drill.everyBackups");
        } else if (spec.schedule() != null) {
            try {
                cron = Optional.of(CronSchedule.parse(spec.schedule(), valid.cron().zone(),
                        schedule.getMetadata().getNamespace(), schedule.getMetadata().getName() + "/drill"));
            } catch (InvalidScheduleException e) {
                problems.add("drill.schedule: " + e.getMessage());
            }
        } else if (spec.everyBackups() < 1) {
            problems.add("drill.everyBackups must be at least 1");
        }
        if (spec.target() == null || spec.target().host() == null || spec.target().host().isBlank()
                || spec.target().credentialsSecret() == null) {
            problems.add("drill.target needs host and credentialsSecret");
        }
        try {
            if (Durations.parse(spec.maxDurationOrDefault(), "drill.maxDuration").toSeconds() < 1) {
                problems.add("drill.maxDuration must be at least 1s");
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            DatabaseNames.requireValid(prefix(schedule, spec), "drill.database");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(DrillChecks.problems("drill", spec.checksOrEmpty(), spec.checkTimeout()));
        problems.addAll(EncryptionAccess.problems(spec.decryption(), "drill.decryption"));
        return new Plan(cron, problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
    }

    private DrillRecord start(BackupSchedule schedule, DrillSpec spec, String backupName, Instant now) {
        String name = RunNames.of(schedule.getMetadata().getName() + "-drill", now);
        String scratch = DatabaseNames.scratch(prefix(schedule, spec), now);
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        labels.put(BacktrackApi.MANAGED_BY_LABEL, BacktrackApi.MANAGED_BY);
        labels.put(BacktrackApi.ROLE_LABEL, BacktrackApi.DRILL);
        LabelValues.put(labels, annotations, BacktrackApi.SCHEDULE_LABEL, schedule.getMetadata().getName());
        Restore restore = new Restore();
        restore.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns(schedule)).withLabels(labels)
                .withAnnotations(annotations)
                // Owned, so the drill records go with the schedule; a Backup never is (see ScheduledBackups).
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(schedule.getApiVersion())
                        .withKind(schedule.getKind()).withName(schedule.getMetadata().getName())
                        .withUid(schedule.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(false)
                        .build())
                .build());
        var template = schedule.getSpec().backupTemplate().spec().job();
        long deadline = Durations.parse(spec.maxDurationOrDefault(), "drill.maxDuration").toSeconds();
        restore.setSpec(new RestoreSpec(backupName, null,
                new RestoreTarget(spec.target().host(), spec.target().port(), scratch, spec.target().credentialsSecret(),
                        spec.target().tls()),
                RestoreStrategy.newDatabase, null, null, null, null,
                // A drill that fails is recorded and retried at the next drill, never within the same one. Its Pod
                // otherwise fits like the schedule's backups (placement, identity for S3, mesh annotations).
                drillJob(template, deadline),
                null, null, null, new RestoreDrill(spec.keep(), spec.checkTimeout(), spec.checks()),
                spec.decryption()));
        try {
            client.resource(restore).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        LOG.infof("drill started namespace=%s schedule=%s restore=%s backup=%s", ns(schedule),
                schedule.getMetadata().getName(), name, backupName);
        events.normal(schedule, "DrillStarted", "drill " + name + " restores Backup " + backupName
                + " into the scratch database " + scratch + " on " + spec.target().host());
        return new DrillRecord(name, backupName, now.toString(), null, null, null, null, null, DrillOutcome.Running,
                null, null, scratch);
    }

    /** How a drill ended, from its Restore (gone: deleted before it finished). */
    static DrillRecord finished(DrillRecord active, Restore restore, Instant now) {
        if (restore == null) {
            return new DrillRecord(active.restore(), active.backup(), active.startedAt(), now.toString(), null, null,
                    null, null, DrillOutcome.Failed, ConditionReason.Aborted.name(), "the drill's Restore "
                    + active.restore() + " was deleted before it finished", active.scratchDatabase());
        }
        RestoreStatus s = restore.getStatus();
        boolean ok = s.phase() == RestorePhase.Completed;
        var drill = s.drill();
        List<DrillCheckRecord> checks = drill == null || drill.checks() == null ? null : drill.checks().stream()
                .map(c -> new DrillCheckRecord(c.name(), c.ok(), c.error() != null ? c.error() : c.value())).toList();
        return new DrillRecord(active.restore(), active.backup(), active.startedAt(), s.completedAt(),
                drill == null ? null : drill.recoverySeconds(),
                s.verification() == null ? null : s.verification().tables(),
                s.verification() == null ? null : s.verification().rowsRestored(), checks,
                ok ? DrillOutcome.Succeeded : DrillOutcome.Failed, ok ? null : Conditions.readyReason(s.conditions()),
                s.message(), drill != null && drill.scratchDatabase() != null ? drill.scratchDatabase()
                : active.scratchDatabase());
    }

    private void announce(BackupSchedule schedule, DrillRecord done, ScheduleStatusDraft draft, Instant now) {
        if (done.result() == DrillOutcome.Succeeded) {
            String text = "drill " + done.restore() + " of Backup " + done.backup() + " succeeded: recovered in "
                    + done.recoverySeconds() + " s";
            draft.drillFailed(false, ConditionReason.Completed.name(), text, now);
            events.normal(schedule, "DrillSucceeded", text);
            LOG.infof("drill succeeded namespace=%s schedule=%s restore=%s recoverySeconds=%s", ns(schedule),
                    schedule.getMetadata().getName(), done.restore(), done.recoverySeconds());
        } else {
            String text = "drill " + done.restore() + " of Backup " + done.backup() + " failed (" + done.reason()
                    + "): " + done.message() + "; nothing was deleted, see kubectl describe dbrestore " + done.restore();
            draft.drillFailed(true, done.reason() == null ? ConditionReason.Failed.name() : done.reason(), text, now);
            events.warning(schedule, "DrillFailed", text);
            LOG.warnf("drill failed namespace=%s schedule=%s restore=%s reason=%s", ns(schedule),
                    schedule.getMetadata().getName(), done.restore(), done.reason());
        }
    }

    /** Finished drill Restores beyond historyLimit go, oldest first; a running one never. */
    private void pruneFinished(BackupSchedule schedule, List<Restore> drills, DrillRecord active, int keep) {
        List<Restore> finished = drills.stream().filter(ScheduleDrills::terminal)
                .filter(r -> active == null || !r.getMetadata().getName().equals(active.restore()))
                .sorted(Comparator.comparing((Restore r) -> r.getMetadata().getCreationTimestamp()).reversed())
                .toList();
        finished.stream().skip(keep).forEach(r -> {
            LOG.infof("drill restore pruned namespace=%s schedule=%s restore=%s", ns(schedule),
                    schedule.getMetadata().getName(), r.getMetadata().getName());
            client.resource(r).delete();
        });
    }

    private static Optional<Duration> interval(DrillSpec spec, Plan plan, ValidSchedule valid, Instant now) {
        if (spec.everyBackups() != null) {
            return valid.cron().longestGap(now).map(g -> g.multipliedBy(spec.everyBackups()));
        }
        return plan.cron().flatMap(c -> c.longestGap(now));
    }

    private static Optional<Map.Entry<String, Double>> lastSuccess(DrillState state) {
        return Stream.concat(Stream.ofNullable(state.lastDrill()), state.history().stream())
                .filter(d -> d.result() == DrillOutcome.Succeeded && d.completedAt() != null)
                .max(Comparator.comparing(DrillRecord::completedAt))
                .map(d -> new AbstractMap.SimpleImmutableEntry<>(d.completedAt(), d.recoverySeconds()));
    }

    private static DrillRecord running(Restore r, String backup, String startedAt) {
        return new DrillRecord(r.getMetadata().getName(), backup, startedAt, null, null, null, null, null,
                DrillOutcome.Running, null, null, r.getSpec().target() == null ? null : r.getSpec().target().database());
    }

    static boolean terminal(Restore r) {
        return r.getStatus() != null && r.getStatus().phase() != null && r.getStatus().phase().isTerminal();
    }

    private static String prefix(BackupSchedule schedule, DrillSpec spec) {
        if (spec.database() != null && !spec.database().isBlank()) {
            return spec.database();
        }
        var template = schedule.getSpec().backupTemplate();
        String db = template == null || template.spec() == null || template.spec().database() == null ? null
                : template.spec().database().database();
        return (db == null ? "backtrack" : db) + "_drill";
    }

    private static String ns(BackupSchedule schedule) {
        return schedule.getMetadata().getNamespace();
    }

    private static JobSettings drillJob(JobSettings template, long deadline) {
        JobSettings t = template == null ? JobSettings.NONE : template;
        return new JobSettings(deadline, 0, t.resources(), t.nodeSelector(), t.tolerations(), t.affinity(),
                t.priorityClassName(), t.serviceAccountName(), t.podAnnotations(), t.podLabels(),
                t.ttlSecondsAfterFinished());
    }
}
