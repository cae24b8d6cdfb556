package io.backtrack.controller.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.BackupScheduleStatus;
import io.backtrack.api.schedule.ConcurrencyPolicy;
import io.backtrack.api.schedule.RetentionStatus;
import io.backtrack.controller.backup.BackupJobs;
import io.backtrack.controller.cache.WithoutManagedFields;
import io.backtrack.controller.concurrency.DueFirings;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.metrics.BacktrackMetrics;
import io.backtrack.controller.naming.LabelValues;
import io.backtrack.controller.retention.BackupPruner;
import io.backtrack.controller.retention.RetentionCandidate;
import io.backtrack.controller.retention.ScheduleRetention;
import io.backtrack.controller.status.ReconcileErrors;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * BackupSchedule: validate → observe its Backups → start, skip or replace the due run → retention → record status.
 * Firing uses JOSDK's rescheduling: each reconcile asks to be called again shortly before the next due time (or
 * sooner, at the next ttl expiry or after backtrack.schedule.max-requeue-interval for periodic retention); see
 * {@link NextWake}.
 */
@ControllerConfiguration(name = "backupschedule", finalizerName = BacktrackApi.SCHEDULE_FINALIZER,
        informer = @Informer(itemStore = WithoutManagedFields.Schedules.class))
public class BackupScheduleReconciler implements Reconciler<BackupSchedule>, Cleaner<BackupSchedule> {
    private static final Logger LOG = Logger.getLogger(BackupScheduleReconciler.class);

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final ScheduleRetention retention;
    private final NextWake wake;
    private final BacktrackMetrics metrics;
    private final FormerOwners formerOwners;
    private final ScheduleDrills drills;
    private final DueFirings firings;

    public BackupScheduleReconciler(KubernetesClient client, EventRecorder events, Clock clock, BackupPruner pruner,
                                    BacktrackConfig config, BacktrackMetrics metrics, DueFirings firings) {
        this.metrics = metrics;
        this.firings = firings;
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.retention = new ScheduleRetention(pruner);
        this.wake = new NextWake(config.schedule().maxRequeueInterval());
        this.formerOwners = new FormerOwners(client);
        this.drills = new ScheduleDrills(client, events, metrics);
    }

    @Override
    public List<EventSource<?, BackupSchedule>> prepareEventSources(EventSourceContext<BackupSchedule> context) {
        var backupsOfSchedules = InformerEventSourceConfiguration.from(Backup.class, BackupSchedule.class)
                .withLabelSelector(BacktrackApi.SCHEDULE_LABEL)
                .withItemStore(new WithoutManagedFields.Backups())
                // Linked by the label, never by an owner reference (see ScheduledBackups).
                .withSecondaryToPrimaryMapper(b -> Set.of(new ResourceID(
                        LabelValues.nameIn(b, BacktrackApi.SCHEDULE_LABEL), b.getMetadata().getNamespace())))
                // A Backup without a status is one its schedule has just created and already counts as active (at
                // start-up every schedule is reconciled anyway); updates count when they change what the schedule
                // sees of the run. Both halve the reconciles a firing costs.
                .withOnAddFilter(backup -> backup.getStatus() != null)
                .withOnUpdateFilter(ScheduleRun::changesItsSchedule)
                .build();
        var drillsOfSchedules = InformerEventSourceConfiguration.from(Restore.class, BackupSchedule.class)
                .withItemStore(new WithoutManagedFields.Restores())
                .withLabelSelector(BacktrackApi.ROLE_LABEL + "=" + BacktrackApi.DRILL + "," + BacktrackApi.SCHEDULE_LABEL)
                .withSecondaryToPrimaryMapper(r -> Set.of(new ResourceID(
                        LabelValues.nameIn(r, BacktrackApi.SCHEDULE_LABEL), r.getMetadata().getNamespace())))
                // Only a drill's end (or its deletion) changes what the schedule records of it.
                .withOnUpdateFilter((before, after) -> ScheduleDrills.terminal(before) != ScheduleDrills.terminal(after))
                .build();
        return List.of(new InformerEventSource<>(backupsOfSchedules, context),
                new InformerEventSource<>(drillsOfSchedules, context));
    }

    @Override
    public UpdateControl<BackupSchedule> reconcile(BackupSchedule schedule, Context<BackupSchedule> context) {
        Instant now = clock.instant();
        formerOwners.release(context.getSecondaryResourcesAsStream(Backup.class).toList());
        ScheduleValidator.Result checked = ScheduleValidator.validate(schedule);
        if (checked.problem().isPresent()) {
            return refuse(schedule, checked.problem().get(), now);
        }
        ValidSchedule valid = checked.valid().orElseThrow();
        List<ScheduleRun> runs = runs(schedule, context);
        ScheduleStatusDraft draft = new ScheduleStatusDraft(schedule);

        boolean sameSpec = schedule.getStatus() != null
                && Objects.equals(schedule.getStatus().observedGeneration(), schedule.getMetadata().getGeneration());
        Instant recordedNext = sameSpec ? draft.recordedNext().orElse(null) : null;
        RunDecision decision = RunPlanner.decide(valid.cron(), recordedNext, now, valid.startingDeadline(), schedule.getSpec().suspended());
        draft.passedOver(decision.passedOver());
        Set<String> active = runs.stream().filter(r -> r.state() == ScheduleRun.State.ACTIVE).map(ScheduleRun::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> gone = new LinkedHashSet<>();
        boolean started = false;

        if (decision.start().isPresent()) {
            Instant due = decision.start().get();
            String name = RunNames.of(schedule.getMetadata().getName(), due);
            boolean alreadyCreated = runs.stream().anyMatch(r -> r.name().equals(name));
            ConcurrencyPolicy policy = schedule.getSpec().concurrencyPolicyOrDefault();
            if (alreadyCreated) {
                draft.due(due);
                LOG.debugf("run already created namespace=%s schedule=%s backup=%s", ns(schedule), schedule.getMetadata().getName(), name);
            } else if (!active.isEmpty() && policy == ConcurrencyPolicy.Forbid) {
                String message = "the run due at " + due + " was skipped: concurrencyPolicy Forbid and " + String.join(", ", active)
                        + " is still running";
                draft.skipped(due, "ConcurrencyForbid", message);
                LOG.infof("run skipped namespace=%s schedule=%s reason=ConcurrencyForbid due=%s", ns(schedule),
                        schedule.getMetadata().getName(), due);
                events.normal(schedule, "RunSkipped", message);
            } else {
                draft.due(due);
                if (!active.isEmpty() && policy == ConcurrencyPolicy.Replace) {
                    for (ScheduleRun run : runs) {
                        if (active.contains(run.name())) {
                            replace(schedule, run, name);
                            if (run.backup().getSpec().deletionPolicyOrDefault() == DeletionPolicy.Delete) {
                                gone.add(run.name());
                            }
                        }
                    }
                    active.clear();
                }
                start(schedule, due);
                active.add(name);
                started = true;
            }
        }
        if (decision.skip().isPresent()) {
            RunDecision.Skip skip = decision.skip().get();
            draft.skipped(skip.scheduledAt(), skip.reason(), skip.message());
            LOG.infof("run skipped namespace=%s schedule=%s reason=%s due=%s", ns(schedule), schedule.getMetadata().getName(),
                    skip.reason(), skip.scheduledAt());
            events.warning(schedule, "RunSkipped", skip.message());
        }

        List<ScheduleRun> remaining = runs.stream().filter(r -> !gone.contains(r.name())).toList();
        List<RetentionCandidate> candidates = remaining.stream().filter(r -> r.state() != ScheduleRun.State.DELETING)
                .map(ScheduleRun::candidate).flatMap(Optional::stream).toList();
        Map<String, Backup> byName = remaining.stream().collect(Collectors.toMap(ScheduleRun::name, ScheduleRun::backup));
        RetentionStatus retained = retention.apply(schedule, valid.retention(), valid.cron().zone(), candidates, byName,
                schedule.getStatus() == null ? null : schedule.getStatus().retention(), now);
        Set<String> pruned = retained.pruned() == null ? Set.of() : retained.pruned().stream().map(p -> p.name())
                .collect(Collectors.toSet());
        List<ScheduleRun> left = remaining.stream().filter(r -> !pruned.contains(r.name())
                || r.state() == ScheduleRun.State.DELETING).toList();

        draft.active(active).retention(retained).valid(valid.cron(), decision.next(), left, now);
        Optional<Instant> nextDrill = drills.reconcile(schedule, valid, left, drillRestores(schedule, context), sameSpec,
                draft, now);
        BackupScheduleStatus after = draft.build();
        firings.expect(ResourceID.fromResource(schedule), schedule.getSpec().suspended() ? null : decision.next());
        metrics.scheduleObserved(schedule, after.lastSuccessTime(),
                schedule.getSpec().suspended() ? Optional.empty() : valid.cron().longestGap(now));
        Duration wait = wake.after(now, decision.next(), candidates.stream().map(RetentionCandidate::expiresAt)
                .filter(Objects::nonNull).toList());
        if (nextDrill.isPresent()) {
            Duration untilDrill = Duration.between(now, nextDrill.get());
            wait = untilDrill.isNegative() ? Duration.ZERO : untilDrill.compareTo(wait) < 0 ? untilDrill : wait;
        }
        if (after.equals(schedule.getStatus())) {
            return UpdateControl.<BackupSchedule>noUpdate().rescheduleAfter(wait);
        }
        if (started && gone.isEmpty() && firings.holdStarts(now) && recomputable(schedule.getStatus(), after)) {
            // Other schedules' runs are due this moment: their creates go before this status write (DueFirings). The
            // next reconcile finds this run created and writes the same status.
            return UpdateControl.<BackupSchedule>noUpdate().rescheduleAfter(DueFirings.HOLD);
        }
        schedule.setStatus(after);
        return UpdateControl.patchStatus(schedule).rescheduleAfter(wait);
    }

    /** A reconcile that threw (creating a run's Backup, pruning, ...): see {@link ReconcileErrors}. */
    @Override
    public ErrorStatusUpdateControl<BackupSchedule> updateErrorStatus(BackupSchedule schedule,
                                                                      Context<BackupSchedule> context, Exception e) {
        return ReconcileErrors.record(schedule, new ScheduleStatusDraft(schedule), schedule::setStatus, context, e,
                events, clock.instant());
    }

    /**
     * A deleted schedule owns nothing: its Backups and their archives stay (only retention deletes them). Its metrics
     * go, so no alert fires for a schedule that is gone, and an Event says what was kept.
     */
    @Override
    public DeleteControl cleanup(BackupSchedule schedule, Context<BackupSchedule> context) {
        metrics.scheduleDeleted(ns(schedule), schedule.getMetadata().getName());
        firings.forget(ResourceID.fromResource(schedule));
        long kept = runs(schedule, context).size();
        LOG.infof("schedule deleted namespace=%s schedule=%s backupsKept=%d", ns(schedule), schedule.getMetadata().getName(), kept);
        if (kept > 0) {
            events.normal(schedule, "BackupsKept", kept + " Backups of this schedule and their archives are kept: deleting a"
                    + " schedule never deletes them. A schedule created under the same name takes them back; otherwise delete"
                    + " the ones you do not need: kubectl delete dbbackup -n " + ns(schedule) + " -l " + BacktrackApi.SCHEDULE_LABEL
                    + "=" + LabelValues.of(schedule.getMetadata().getName()));
        }
        return DeleteControl.defaultDelete();
    }

    private void start(BackupSchedule schedule, Instant due) {
        Backup backup = ScheduledBackups.forRun(schedule, due);
        String name = backup.getMetadata().getName();
        try {
            client.resource(backup).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return; // created by an earlier reconcile whose status update was lost
        }
        LOG.infof("run started namespace=%s schedule=%s backup=%s due=%s", ns(schedule), schedule.getMetadata().getName(), name, due);
        events.normal(schedule, "RunStarted", "created Backup " + name + " for the run due at " + due);
    }

    /** concurrencyPolicy Replace: stop the running Backup's Job; a Delete-policy Backup is deleted, so its folder is emptied. */
    private void replace(BackupSchedule schedule, ScheduleRun run, String replacement) {
        Backup backup = run.backup();
        String jobName = BackupJobs.backupJobName(backup);
        client.batch().v1().jobs().inNamespace(ns(schedule)).withName(jobName)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        boolean delete = backup.getSpec().deletionPolicyOrDefault() == DeletionPolicy.Delete;
        if (delete) {
            client.resources(Backup.class).inNamespace(ns(schedule)).withName(run.name()).delete();
        }
        LOG.infof("run replaced namespace=%s schedule=%s backup=%s job=%s by=%s", ns(schedule), schedule.getMetadata().getName(),
                run.name(), jobName, replacement);
        events.normal(schedule, "RunReplaced", "concurrencyPolicy Replace: stopped Backup " + run.name() + " (Job " + jobName
                + " deleted" + (delete ? "; the Backup is deleted and its partial upload removed" : "; deletionPolicy Retain keeps the failed Backup")
                + ") for " + replacement);
    }

    private UpdateControl<BackupSchedule> refuse(BackupSchedule schedule, ScheduleProblem problem, Instant now) {
        firings.forget(ResourceID.fromResource(schedule));
        ScheduleStatusDraft draft = new ScheduleStatusDraft(schedule);
        String reason = problem.reason().name();
        boolean alreadySaid = draft.readySays(false, reason, problem.message()) && schedule.getStatus() != null
                && Objects.equals(schedule.getStatus().observedGeneration(), schedule.getMetadata().getGeneration());
        if (alreadySaid) {
            return UpdateControl.noUpdate();
        }
        LOG.warnf("schedule refused namespace=%s schedule=%s reason=%s message=%s", ns(schedule), schedule.getMetadata().getName(),
                reason, problem.message());
        events.warning(schedule, reason, problem.message());
        schedule.setStatus(draft.invalid(problem, now).build());
        return UpdateControl.patchStatus(schedule);
    }

    /**
     * Whether a reconcile a moment later writes {@code after} too: what changed is worked out again from the runs and
     * the status as written (next and last due time, active runs, counts), not a record of something this reconcile
     * did and the next will not do again (pruning, a drill).
     */
    private static boolean recomputable(BackupScheduleStatus before, BackupScheduleStatus after) {
        return before != null && Objects.equals(before.observedGeneration(), after.observedGeneration())
                && Objects.equals(before.retention(), after.retention())
                && Objects.equals(before.activeDrill(), after.activeDrill())
                && Objects.equals(before.lastDrill(), after.lastDrill())
                && Objects.equals(before.drillHistory(), after.drillHistory())
                && Objects.equals(before.nextDrillTime(), after.nextDrillTime())
                && Objects.equals(before.backupsSinceLastDrill(), after.backupsSinceLastDrill())
                && Objects.equals(before.drillSince(), after.drillSince());
    }

    /** The schedule's Backups: those labelled with its name (a schedule re-created under the same name finds them again). */
    private static List<ScheduleRun> runs(BackupSchedule schedule, Context<BackupSchedule> context) {
        String name = schedule.getMetadata().getName();
        return context.getSecondaryResourcesAsStream(Backup.class)
                .filter(b -> LabelValues.names(b, BacktrackApi.SCHEDULE_LABEL, name))
                .map(ScheduleRun::of)
                .toList();
    }

    /** The schedule's drill Restores (labelled with its name and the drill role). */
    private static List<Restore> drillRestores(BackupSchedule schedule, Context<BackupSchedule> context) {
        String name = schedule.getMetadata().getName();
        return context.getSecondaryResourcesAsStream(Restore.class)
                .filter(r -> LabelValues.names(r, BacktrackApi.SCHEDULE_LABEL, name))
                .toList();
    }

    private static String ns(BackupSchedule schedule) {
        return schedule.getMetadata().getNamespace();
    }
}
