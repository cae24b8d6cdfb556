package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStatus;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.Verification;
import io.backtrack.contract.result.DrillResult;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.RestoreResult;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.controller.cache.WithoutManagedFields;
import io.backtrack.controller.concurrency.ConcurrencyGate;
import io.backtrack.controller.concurrency.JobAdmission;
import io.backtrack.controller.concurrency.QueuedStatus;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.drill.ServerIdentity;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.job.AgentPods;
import io.backtrack.controller.job.CreateOnce;
import io.backtrack.controller.job.JobCache;
import io.backtrack.controller.job.JobFailure;
import io.backtrack.controller.job.JobOutcome;
import io.backtrack.controller.job.JobPods;
import io.backtrack.controller.job.PodTrouble;
import io.backtrack.controller.metrics.BacktrackMetrics;
import io.backtrack.controller.naming.LabelValues;
import io.backtrack.controller.secrets.SecretCheck;
import io.backtrack.controller.status.Conditions;
import io.backtrack.controller.status.Precondition;
import io.backtrack.controller.status.ReconcileErrors;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Restore: check the archive and target (touching nothing) → quiesce → safety backup → restore → verify (and for
 * swap, rename) → bring the workloads back. Every step is recorded in status before the next one acts, so a
 * restarted operator continues where it stopped; every failure, and deleting a running Restore, still brings the
 * workloads back and releases the Backup.
 */
@ControllerConfiguration(name = "restore", finalizerName = BacktrackApi.RESTORE_FINALIZER,
        informer = @Informer(itemStore = WithoutManagedFields.Restores.class))
public class RestoreReconciler implements Reconciler<Restore>, Cleaner<Restore> {
    private static final Logger LOG = Logger.getLogger(RestoreReconciler.class);
    private static final Duration RECHECK = Duration.ofSeconds(10);
    private static final Duration SCALE_POLL = Duration.ofSeconds(2);
    /** The reason a step's status gives while its Job runs. */
    private static final Map<RestoreStep, ConditionReason> STEP_REASONS = Map.of(RestoreStep.CHECK,
            ConditionReason.Checking, RestoreStep.RESTORE, ConditionReason.Restoring, RestoreStep.COMPARE,
            ConditionReason.Verifying);

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final RestorePlans plans;
    private final RestoreJobs jobs;
    private final Quiescer quiescer;
    private final BackupProtection protection;
    private final Resumption resumption;
    private final RestoreDeletion deletion;
    private final SecretCheck secrets;
    private final BacktrackMetrics metrics;
    private final ConcurrencyGate gate;
    private final DrillJobs drillJobs;
    private final VerifiedBackups verified;
    /** Set when JOSDK prepares the event sources, before the first reconcile. */
    private volatile JobPods pods;
    /** The step Jobs' informer, handed each Job a step creates ({@link CreateOnce}); null in unit tests. */
    private volatile EventSource<Job, Restore> stepJobs;

    public RestoreReconciler(KubernetesClient client, EventRecorder events, BacktrackConfig config, Clock clock,
                             BacktrackMetrics metrics, ConcurrencyGate gate) {
        this.metrics = metrics;
        this.gate = gate;
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.plans = new RestorePlans(client, new ServerIdentity(ServerIdentity.DNS));
        this.drillJobs = new DrillJobs(config.agent());
        this.verified = new VerifiedBackups(client);
        this.jobs = new RestoreJobs(config.agent());
        this.quiescer = new Quiescer(client);
        this.protection = new BackupProtection(client);
        this.resumption = new Resumption(quiescer, protection, events);
        this.deletion = new RestoreDeletion(client, resumption, events);
        this.secrets = new SecretCheck(client);
    }

    @Override
    public List<EventSource<?, Restore>> prepareEventSources(EventSourceContext<Restore> context) {
        SecondaryToPrimaryMapper<Job> toRestore = Mappers.fromOwnerReferences(Restore.class);
        var restoreJobs = InformerEventSourceConfiguration.from(Job.class, Restore.class)
                .withLabelSelector(BacktrackApi.RESTORE_LABEL)
                .withSecondaryToPrimaryMapper(toRestore)
                .withItemStore(JobCache.reduced())
                .build();
        var safetyBackups = InformerEventSourceConfiguration.from(Backup.class, Restore.class)
                .withLabelSelector(BacktrackApi.RESTORE_LABEL)
                .withItemStore(new WithoutManagedFields.Backups())
                .withSecondaryToPrimaryMapper(b -> Set.of(new ResourceID(
                        LabelValues.nameIn(b, BacktrackApi.RESTORE_LABEL), b.getMetadata().getNamespace())))
                .build();
        var jobs = new InformerEventSource<>(restoreJobs, context);
        var agentPods = AgentPods.watch(context, Restore.class, BacktrackApi.RESTORE_LABEL, jobs, toRestore);
        pods = agentPods;
        stepJobs = jobs;
        return List.of(jobs, new InformerEventSource<>(safetyBackups, context), agentPods.source());
    }

    /** For reconcile() called without the operator (unit tests): where the Pods of a Job are found. */
    void podsFrom(JobPods pods) {
        this.pods = pods;
    }

    /** For reconcile() called without the operator (unit tests): the informer step Jobs are handed to. */
    void stepJobsTo(EventSource<Job, Restore> stepJobs) {
        this.stepJobs = stepJobs;
    }

    @Override
    public UpdateControl<Restore> reconcile(Restore restore, Context<Restore> context) {
        metrics.restoreSeen(restore);
        RestoreStatus status = restore.getStatus();
        Instant now = clock.instant();
        RestoreStatusDraft draft = new RestoreStatusDraft(restore);
        if (status != null && status.phase() != null && status.phase().isTerminal()) {
            if (status.phase() == RestorePhase.Failed) {
                // A step's Job whose Pod could not start is still active: stop it, so that no Pod lingers.
                PodTrouble.stopUnfinished(client, context.getSecondaryResources(Job.class));
            }
            return draft.settled(now).map(settled -> {
                restore.setStatus(settled);
                return UpdateControl.patchStatus(restore);
            }).orElseGet(UpdateControl::noUpdate);
        }
        RestorePlans.Resolution resolution = plans.resolve(restore);
        boolean started = status != null && status.startedAt() != null;
        if (resolution.problem() != null) {
            if (started) {
                // Waiting would put a running Restore back to Pending: its next step cannot run, so it ends here.
                return fail(restore, draft, resolution.problem().reason().name(), resolution.problem().message()
                        + "; the restore stopped after it had started", now);
            }
            return refuse(restore, draft, resolution.problem(), now);
        }
        if (started && status.source() != null && !status.source().equals(resolution.plan().source())) {
            return fail(restore, draft, ConditionReason.InvalidSpec.name(), "the restore read " + status.source()
                    + " but its storage now names " + resolution.plan().source() + " (a BackupStorage changed while"
                    + " it ran); the restore stopped so that no step reads another backup", now);
        }
        RestorePlan plan = withRecordedDatabase(resolution.plan(), status);
        RestorePhase phase = status == null || status.phase() == null ? RestorePhase.Pending : status.phase();
        return switch (phase) {
            case Pending -> status == null || status.jobName() == null ? start(restore, plan, draft, now) : afterCheck(restore, plan, draft, now);
            case SafetyBackup -> afterSafetyBackup(restore, plan, draft, now);
            case Quiescing -> quiesce(restore, plan, draft, now);
            case Restoring -> restore.getSpec().drill() != null ? afterDrill(restore, plan, draft, now)
                    : afterRestore(restore, plan, draft, now);
            case Verifying -> afterCompare(restore, plan, draft, now);
            default -> UpdateControl.noUpdate();
        };
    }

    private UpdateControl<Restore> start(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        String ns = restore.getMetadata().getNamespace();
        Optional<String> missingSecret = secrets.missingForDatabase(ns, plan.credentials(), plan.tls(), "target database");
        if (missingSecret.isEmpty()) {
            missingSecret = secrets.missingForStorage(ns, plan.storage());
        }
        if (missingSecret.isEmpty()) {
            missingSecret = secrets.missingForDecryption(ns, plan.spec().decryption());
        }
        if (missingSecret.isPresent()) {
            return refuse(restore, draft, new Precondition(ConditionReason.SecretNotFound,
                    missingSecret.get() + "; the restore starts once it exists", true), now);
        }
        Optional<String> missingWorkload = quiescer.missing(ns, plan.spec().quiesceOrEmpty());
        if (missingWorkload.isPresent()) {
            return fail(restore, draft, ConditionReason.InvalidSpec.name(), missingWorkload.get() + "; nothing was touched", now);
        }
        JobAdmission.Decision admission = gate.admitRestore(restore, plan.target());
        if (!admission.admitted()) {
            // The target recorded: no new Backup of that database starts before this Restore has run.
            return queued(restore, draft.reads(plan), admission.message(), gate.recheckAfter(admission), now);
        }
        if (plan.backupName() != null) {
            protection.protect(ns, plan.backupName(), restore.getMetadata().getName());
        }
        if (restore.getSpec().drill() != null) {
            draft.started(now).reads(plan).job(create(drillJobs.build(restore, plan)));
            return progress(restore, draft, RestorePhase.Restoring, ConditionReason.Drilling, "drill: restoring "
                    + plan.source() + " into the new scratch database " + plan.target() + ", verifying SHA-256 and row "
                    + "counts, running " + restore.getSpec().drill().checksOrEmpty().size() + " check(s), then "
                    + (restore.getSpec().drill().keepOrDefault() ? "keeping" : "dropping") + " it", now);
        }
        draft.started(now).reads(plan)
                .job(create(jobs.build(restore, plan, RestoreStep.CHECK, Instant.parse(draft.startedAt()))));
        return progress(restore, draft, RestorePhase.Pending, ConditionReason.Checking,
                "checking " + plan.source() + " (manifest and SHA-256) and the target " + plan.target() + "; nothing is touched yet", now);
    }

    private UpdateControl<Restore> afterCheck(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        Optional<Job> job = stepJob(restore, RestoreStep.CHECK);
        if (job.isEmpty()) {
            return UpdateControl.noUpdate();
        }
        Optional<JobOutcome> outcome = job.map(j -> JobOutcome.of(j, client));
        if (outcome.get().state() == JobOutcome.State.RUNNING) {
            return stepRunning(restore, draft, job.get(), STEP_REASONS.get(RestoreStep.CHECK), now);
        }
        if (outcome.get().state() == JobOutcome.State.FAILED) {
            return failFromJob(restore, draft, outcome.get(), RestoreStep.CHECK, "; nothing was touched", now);
        }
        RestoreResult checked = outcome.get().result().as(RestoreResult.class);
        boolean firstLook = !draft.isArchiveVerified();
        draft.archiveVerified();
        if (plan.database() == null && checked.sourceDatabase() != null) {
            plan = plan.withDatabase(checked.sourceDatabase());
            draft.reads(plan);
        }
        if (firstLook) {
            events.normal(restore, "ArchiveVerified", "SHA-256 of " + plan.source() + " matches its manifest ("
                    + checked.sha256() + "); target " + plan.target() + " is ready");
            if (checked.keptObjectCount() != null && checked.keptObjectCount() > 0) {
                // An in-place restore replaces what the backup has and leaves the rest: say what it leaves.
                events.warning(restore, "ObjectsKept", checked.keptObjectCount() + " object(s) in " + plan.target()
                        + " are not in the backup and stay as they are after the in-place restore (e.g. "
                        + String.join(", ", checked.keptObjects()) + "); use strategy swap for a database that is "
                        + "exactly the backup");
            }
            if (checked.rolesToCreate() != null && !checked.rolesToCreate().isEmpty()) {
                events.normal(restore, "RolesMissing", "role(s) " + String.join(", ", checked.rolesToCreate())
                        + " do not exist on " + plan.target() + "; the restore step creates them from the backup's "
                        + "roles script (spec.roles: createMissing)");
            }
        }
        return next(restore, plan, draft, now);
    }

    /**
     * What comes after the check and after each action before the restore step, always in this order: quiesce the
     * workloads, then take the safety backup (so no write lands between the two), then restore. What status records
     * as done is not done again, so a Restore an older operator started (safety backup first) still quiesces.
     */
    private UpdateControl<Restore> next(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        var quiesce = plan.spec().quiesceOrEmpty();
        boolean workloads = !quiesce.deploymentsOrEmpty().isEmpty() || !quiesce.statefulSetsOrEmpty().isEmpty();
        NextAction action = NextAction.next(workloads, draft.quiesced() != null, plan.spec().safetyBackupOrDefault(),
                draft.safetyBackupName() != null);
        if (action == NextAction.QUIESCE) {
            // Record the replica counts in status first; the next reconcile scales down.
            draft.quiesced(quiescer.plan(restore.getMetadata().getNamespace(), restore.getMetadata().getName(), quiesce))
                    .job(null);
            return progress(restore, draft, RestorePhase.Quiescing, ConditionReason.Quiescing,
                    "scaling " + RestoreStatusDraft.describe(draft.quiesced()) + " to 0", now)
                    .rescheduleAfter(Duration.ZERO);
        }
        if (action == NextAction.RESTORE) {
            // A Backup of the target admitted before the target was known (a restore from storage reads it from the
            // manifest) finishes before anything is written.
            Optional<String> busy = gate.otherWorkOn(restore, plan.target());
            if (busy.isPresent()) {
                return queued(restore, draft, "waiting for " + busy.get() + ", which is running on the same database,"
                        + " before restoring", ConcurrencyGate.RECHECK, now);
            }
        }
        if (action == NextAction.SAFETY_BACKUP) {
            Backup safety = SafetyBackups.of(restore, plan);
            CreateOnce.create(client, safety);
            draft.safetyBackup(safety.getMetadata().getName()).job(null);
            return progress(restore, draft, RestorePhase.SafetyBackup, ConditionReason.SafetyBackup, "backing up the target "
                    + plan.target() + " as Backup " + draft.safetyBackupName()
                    + (workloads ? ", with the workloads stopped," : "") + " before touching it", now);
        }
        return startRestore(restore, plan, draft, now);
    }

    private UpdateControl<Restore> afterSafetyBackup(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        Backup safety = client.resources(Backup.class).inNamespace(restore.getMetadata().getNamespace())
                .withName(draft.safetyBackupName()).get();
        BackupPhase phase = safety == null || safety.getStatus() == null ? null : safety.getStatus().phase();
        if (safety == null) {
            return fail(restore, draft, ConditionReason.SafetyBackupFailed.name(), "safety Backup "
                    + draft.safetyBackupName() + " was deleted before it completed; the target was not touched", now);
        }
        if (phase == BackupPhase.Failed) {
            var ready = Conditions.find(safety.getStatus().conditions(), ConditionType.Ready);
            return fail(restore, draft, ConditionReason.SafetyBackupFailed.name(), "safety Backup "
                    + draft.safetyBackupName() + " failed (" + (ready == null ? "" : ready.getReason() + ": "
                    + ready.getMessage()) + "); the target was not touched", now);
        }
        if (phase != BackupPhase.Completed) {
            return UpdateControl.noUpdate();
        }
        return next(restore, plan, draft, now);
    }

    private UpdateControl<Restore> quiesce(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        boolean down = quiescer.scaleDown(restore.getMetadata().getNamespace(), restore.getMetadata().getName(), draft.quiesced());
        if (!down) {
            return UpdateControl.<Restore>noUpdate().rescheduleAfter(SCALE_POLL);
        }
        return next(restore, plan, draft, now);
    }

    private UpdateControl<Restore> startRestore(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        draft.job(create(jobs.build(restore, plan, RestoreStep.RESTORE, Instant.parse(draft.startedAt()))));
        return progress(restore, draft, RestorePhase.Restoring, ConditionReason.Restoring, "restoring " + plan.source()
                + " into " + plan.target() + " (strategy " + plan.spec().strategyOrDefault() + ")", now);
    }

    /** A drill's one Job has ended: its counts, checks and recovery time, either way; then the Backup's lastVerified. */
    private UpdateControl<Restore> afterDrill(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        String jobName = DrillJobs.name(restore);
        Job job = client.batch().v1().jobs().inNamespace(restore.getMetadata().getNamespace()).withName(jobName).get();
        if (job == null) {
            return UpdateControl.noUpdate();
        }
        JobOutcome outcome = JobOutcome.of(job, client);
        if (outcome.state() == JobOutcome.State.RUNNING) {
            return stepRunning(restore, draft, job, ConditionReason.Drilling, now);
        }
        DrillResult result = outcome.result() == null ? null : outcome.result().as(DrillResult.class);
        if (result != null) {
            DrillJobs.record(draft, result);
        }
        if (outcome.state() == JobOutcome.State.FAILED) {
            JobFailure failure = JobFailure.of(outcome, jobName, job);
            return fail(restore, draft, failure.reason(), "drill failed: " + failure.message()
                    + (result != null && Boolean.TRUE.equals(result.scratchKept())
                    ? "; the scratch database " + result.scratchDatabase() + " was left in place" : ""), now);
        }
        Verification counts = draft.verification();
        if (result == null || !Boolean.TRUE.equals(result.archiveVerified()) || counts == null
                || !counts.mismatches().isEmpty() || result.recoverySeconds() == null) {
            // A drill proves nothing unless the agent says what it verified: never a success by exit code alone.
            return fail(restore, draft, ConditionReason.JobFailed.name(), "drill Job " + jobName + " ended without "
                    + "reporting a verified restore (SHA-256 and row counts); see kubectl logs job/" + jobName, now);
        }
        String text = "drill of " + plan.source() + " succeeded: recovered in " + result.recoverySeconds() + " s into "
                + plan.target() + (counts == null ? "" : " (" + counts.tables() + " tables, " + counts.rowsRestored()
                + " rows match the manifest)") + ", " + (result.checks() == null ? 0 : result.checks().size())
                + " check(s) passed; the scratch database was " + (Boolean.TRUE.equals(result.scratchKept()) ? "kept"
                : "dropped");
        finishWorkloads(restore, draft);
        restore.setStatus(draft.completed(text, now).build());
        verified.record(restore.getMetadata().getNamespace(), plan.backupName(), restore.getMetadata().getName(),
                now.toString(), result.recoverySeconds(), null);
        LOG.infof("drill completed namespace=%s restore=%s recoverySeconds=%s", restore.getMetadata().getNamespace(),
                restore.getMetadata().getName(), result.recoverySeconds());
        events.normal(restore, "DrillSucceeded", text);
        metrics.restoreFinished(restore);
        return UpdateControl.patchStatus(restore);
    }

    /** After the restore step: the compare step, or for inPlace, which compared inside its transaction, the end. */
    private UpdateControl<Restore> afterRestore(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        Optional<Job> job = stepJob(restore, RestoreStep.RESTORE);
        if (job.isEmpty()) {
            return UpdateControl.noUpdate();
        }
        Optional<JobOutcome> outcome = job.map(j -> JobOutcome.of(j, client));
        if (outcome.get().state() == JobOutcome.State.RUNNING) {
            return stepRunning(restore, draft, job.get(), STEP_REASONS.get(RestoreStep.RESTORE), now);
        }
        rolesCreated(restore, plan, draft, outcome.get());
        if (!RestoreJobs.steps(plan).contains(RestoreStep.COMPARE)) {
            return finished(restore, plan, draft, outcome.get(), RestoreStep.RESTORE, now);
        }
        if (outcome.get().state() == JobOutcome.State.FAILED) {
            return failFromJob(restore, draft, outcome.get(), RestoreStep.RESTORE, "", now);
        }
        draft.job(create(jobs.build(restore, plan, RestoreStep.COMPARE, Instant.parse(draft.startedAt()))));
        return progress(restore, draft, RestorePhase.Verifying, ConditionReason.Verifying,
                "comparing row counts with the manifest" + (plan.spec().strategyOrDefault() == RestoreStrategy.swap
                        ? ", then swapping the restored database into place" : ""), now);
    }

    private UpdateControl<Restore> afterCompare(Restore restore, RestorePlan plan, RestoreStatusDraft draft, Instant now) {
        Optional<Job> job = stepJob(restore, RestoreStep.COMPARE);
        if (job.isEmpty()) {
            return UpdateControl.noUpdate();
        }
        Optional<JobOutcome> outcome = job.map(j -> JobOutcome.of(j, client));
        if (outcome.get().state() == JobOutcome.State.RUNNING) {
            return stepRunning(restore, draft, job.get(), STEP_REASONS.get(RestoreStep.COMPARE), now);
        }
        return finished(restore, plan, draft, outcome.get(), RestoreStep.COMPARE, now);
    }

    /** Roles are a change to the whole server, outside the restored database: the status and an Event say which. */
    private void rolesCreated(Restore restore, RestorePlan plan, RestoreStatusDraft draft, JobOutcome outcome) {
        List<String> roles = outcome.result().as(RestoreResult.class).rolesCreated();
        if (roles != null && !roles.isEmpty() && draft.rolesCreated() == null) {
            draft.rolesCreated(roles);
            events.normal(restore, "RolesCreated", "created role(s) " + String.join(", ", roles) + " on "
                    + plan.target() + " from the backup's roles script before restoring");
        }
    }

    /** The step that compared the row counts has ended: the Restore ends with its counts, either way. */
    private UpdateControl<Restore> finished(Restore restore, RestorePlan plan, RestoreStatusDraft draft, JobOutcome outcome,
                                            RestoreStep step, Instant now) {
        RestoreResult result = outcome.result().as(RestoreResult.class);
        if (result.rowsExpected() != null) {
            draft.verification(verification(result));
        }
        if (outcome.state() == JobOutcome.State.FAILED) {
            return failFromJob(restore, draft, outcome, step, "", now);
        }
        draft.previousDatabase(result.previousDatabase());
        Verification counts = draft.verification();
        String text = "restored " + plan.source() + " into " + plan.target()
                + (counts == null ? "" : "; " + counts.tables() + " tables, " + counts.rowsRestored()
                + " rows match the manifest")
                + (draft.previousDatabase() == null ? "" : "; the replaced database is kept as " + draft.previousDatabase());
        finishWorkloads(restore, draft);
        restore.setStatus(draft.completed(text, now).build());
        if (counts != null && plan.spec().scope() == null) {
            verified.record(restore.getMetadata().getNamespace(), plan.backupName(), restore.getMetadata().getName(),
                    now.toString(), draft.durationSeconds(), null);
        }
        LOG.infof("restore completed namespace=%s restore=%s seconds=%s", restore.getMetadata().getNamespace(),
                restore.getMetadata().getName(), draft.durationSeconds());
        events.normal(restore, "Completed", text);
        metrics.restoreFinished(restore);
        return UpdateControl.patchStatus(restore);
    }

    private UpdateControl<Restore> failFromJob(Restore restore, RestoreStatusDraft draft, JobOutcome outcome,
                                               RestoreStep step, String suffix, Instant now) {
        JobFailure failure = JobFailure.of(outcome, RestoreJobs.name(restore, step), null);
        String reason = step == RestoreStep.CHECK && Reason.InvalidArguments.name().equals(failure.reason())
                ? ConditionReason.InvalidSpec.name() : failure.reason();
        return fail(restore, draft, reason, failure.message() + suffix, now);
    }

    /** @param reason the operator's ({@link ConditionReason}) or the agent's, as it reported it */
    private UpdateControl<Restore> fail(Restore restore, RestoreStatusDraft draft, String reason, String text, Instant now) {
        finishWorkloads(restore, draft);
        restore.setStatus(draft.failed(reason, text, now).build());
        verified.record(restore.getMetadata().getNamespace(), restore.getSpec().backupName(),
                restore.getMetadata().getName(), now.toString(), null, reason);
        LOG.warnf("restore failed namespace=%s restore=%s reason=%s message=%s", restore.getMetadata().getNamespace(),
                restore.getMetadata().getName(), reason, text);
        events.warning(restore, reason, text);
        metrics.restoreFinished(restore);
        return UpdateControl.patchStatus(restore);
    }

    /** The protection exists once the Restore has started (start() protects the Backup before recording startedAt). */
    private void finishWorkloads(Restore restore, RestoreStatusDraft draft) {
        resumption.run(restore, draft.quiesced(), draft.startedAt() != null);
    }

    /** A reconcile that threw: see {@link ReconcileErrors}. A finished Restore keeps its outcome. */
    @Override
    public ErrorStatusUpdateControl<Restore> updateErrorStatus(Restore restore, Context<Restore> context, Exception e) {
        RestoreStatus status = restore.getStatus();
        if (status != null && status.phase() != null && status.phase().isTerminal()) {
            return ReconcileErrors.eventOnly(restore, e, events);
        }
        return ReconcileErrors.record(restore, new RestoreStatusDraft(restore), restore::setStatus, context, e, events,
                clock.instant());
    }

    /** Deleted while it runs: stop its Job, bring the workloads back, release the Backup (see {@link RestoreDeletion}). */
    @Override
    public DeleteControl cleanup(Restore restore, Context<Restore> context) {
        return deletion.cleanup(restore, context.getSecondaryResourcesAsStream(Job.class).toList());
    }

    /** Waiting, reason Queued, in its current phase: said once (status and Event), then looked at again. */
    private UpdateControl<Restore> queued(Restore restore, RestoreStatusDraft draft, String message, Duration recheck,
                                          Instant now) {
        if (!QueuedStatus.announce(events, restore, draft, message)) {
            return UpdateControl.<Restore>noUpdate().rescheduleAfter(recheck);
        }
        restore.setStatus(draft.waiting(ConditionReason.Queued, message, now).build());
        return UpdateControl.patchStatus(restore).rescheduleAfter(recheck);
    }

    private UpdateControl<Restore> refuse(Restore restore, RestoreStatusDraft draft, Precondition problem, Instant now) {
        if (!problem.retryable()) {
            return fail(restore, draft, problem.reason().name(), problem.message(), now);
        }
        if (draft.readySays(false, problem.reason().name(), problem.message())) {
            return UpdateControl.<Restore>noUpdate().rescheduleAfter(RECHECK);
        }
        events.warning(restore, problem.reason().name(), problem.message());
        restore.setStatus(draft.progress(RestorePhase.Pending, problem.reason(), problem.message(), now).build());
        return UpdateControl.patchStatus(restore).rescheduleAfter(RECHECK);
    }

    private UpdateControl<Restore> progress(Restore restore, RestoreStatusDraft draft, RestorePhase phase,
                                            ConditionReason reason, String text, Instant now) {
        restore.setStatus(draft.progress(phase, reason, text, now).build());
        LOG.infof("restore step namespace=%s restore=%s phase=%s", restore.getMetadata().getNamespace(),
                restore.getMetadata().getName(), phase);
        events.normal(restore, reason.name(), text);
        return UpdateControl.patchStatus(restore);
    }

    private String create(Job job) {
        return CreateOnce.create(client, job, stepJobs);
    }

    private Optional<Job> stepJob(Restore restore, RestoreStep step) {
        return Optional.ofNullable(client.batch().v1().jobs().inNamespace(restore.getMetadata().getNamespace())
                .withName(RestoreJobs.name(restore, step)).get());
    }

    /**
     * A step's (or a drill's) Job that has not ended, as for a Backup ({@link PodTrouble}): an image that cannot be pulled fails the
     * Restore before its agent touched anything (the Job is then stopped, see {@link #reconcile}); a Pod no node can
     * take waits in the step's phase with the scheduler's message. A change of a Pod that has not started reconciles
     * the Restore ({@link AgentPods}).
     */
    private UpdateControl<Restore> stepRunning(Restore restore, RestoreStatusDraft draft, Job job,
                                               ConditionReason running, Instant now) {
        PodTrouble.Look look = PodTrouble.look(job, pods);
        Optional<PodTrouble> trouble = look.trouble();
        if (trouble.isPresent() && trouble.get().kind() == PodTrouble.Kind.IMAGE_PULL_FAILED) {
            // The operator's own status write starts no reconcile: ask for the one that stops the Job (reconcile()).
            return fail(restore, draft, ConditionReason.ImagePullFailed.name(), trouble.get().message(), now)
                    .rescheduleAfter(Duration.ZERO);
        }
        UpdateControl<Restore> control = UpdateControl.noUpdate();
        String unschedulable = ConditionReason.Unschedulable.name();
        if (trouble.isPresent() && !draft.readySays(false, unschedulable, trouble.get().message())) {
            if (!unschedulable.equals(draft.readyReason())) {
                events.warning(restore, unschedulable, trouble.get().message());
            }
            restore.setStatus(draft.waiting(ConditionReason.Unschedulable, trouble.get().message(), now).build());
            control = UpdateControl.patchStatus(restore);
        } else if (trouble.isEmpty() && unschedulable.equals(draft.readyReason())) {
            restore.setStatus(draft.waiting(running, "agent Job " + job.getMetadata().getName()
                    + " got a node: running", now).build());
            control = UpdateControl.patchStatus(restore);
        }
        return look.again() ? control.rescheduleAfter(PodTrouble.RECHECK) : control;
    }

    /** With a storage source and no target.database, the check step learnt the database from the manifest. */
    private static RestorePlan withRecordedDatabase(RestorePlan plan, RestoreStatus status) {
        if (plan.database() != null || status == null || status.target() == null || status.target().endsWith(")")) {
            return plan;
        }
        return plan.withDatabase(status.target().substring(status.target().lastIndexOf('/') + 1));
    }

    private static Verification verification(RestoreResult result) {
        return RestoreStatusDraft.counts(result.tables(), result.rowsExpected(), result.rowsRestored(), result.mismatches(),
                result.unverified());
    }
}
