package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupStatus;
import io.backtrack.api.restore.Restore;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.controller.cache.WithoutManagedFields;
import io.backtrack.controller.concurrency.ConcurrencyGate;
import io.backtrack.controller.concurrency.DueFirings;
import io.backtrack.controller.concurrency.JobAdmission;
import io.backtrack.controller.concurrency.QueuedStatus;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.job.AgentPods;
import io.backtrack.controller.job.CreateOnce;
import io.backtrack.controller.job.JobCache;
import io.backtrack.controller.job.JobFailure;
import io.backtrack.controller.job.JobOutcome;
import io.backtrack.controller.job.JobPods;
import io.backtrack.controller.job.PodTrouble;
import io.backtrack.controller.metrics.BacktrackMetrics;
import io.backtrack.controller.retention.BackupPruner;
import io.backtrack.controller.retention.TtlExpiry;
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
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Backup: observe the Job → validate → create the Job once → record the agent's result.
 * Terminal phases stop rescheduling (except to expire a Backup with a ttl).
 */
@ControllerConfiguration(name = "backup", finalizerName = BacktrackApi.BACKUP_FINALIZER,
        informer = @Informer(itemStore = WithoutManagedFields.Backups.class))
public class BackupReconciler implements Reconciler<Backup>, Cleaner<Backup> {
    private static final Logger LOG = Logger.getLogger(BackupReconciler.class);
    static final Duration SECRET_RECHECK = Duration.ofSeconds(15);
    static final String RESTORES = "restores";
    static final String JOBS = "agent-jobs";

    private final KubernetesClient client;
    private final EventRecorder events;
    private final BackupJobs jobs;
    private final Clock clock;
    private final BackupPreconditions preconditions;
    private final BackupPruner pruner;
    private final BacktrackMetrics metrics;
    private final BackupDeletion deletion;
    private final ConcurrencyGate gate;
    private final DueFirings firings;
    /** Set when JOSDK prepares the event sources, before the first reconcile. */
    private volatile JobPods pods;

    public BackupReconciler(KubernetesClient client, EventRecorder events, BacktrackConfig config, Clock clock,
                            BackupPruner pruner, BacktrackMetrics metrics, ConcurrencyGate gate, DueFirings firings) {
        this.metrics = metrics;
        this.gate = gate;
        this.firings = firings;
        this.client = client;
        this.events = events;
        this.pruner = pruner;
        this.jobs = new BackupJobs(config.agent());
        this.clock = clock;
        this.preconditions = new BackupPreconditions(client);
        this.deletion = new BackupDeletion(client, events, metrics, jobs, preconditions, gate);
    }

    @Override
    public List<EventSource<?, Backup>> prepareEventSources(EventSourceContext<Backup> context) {
        // Every agent Job (restore steps too): the concurrency gate counts them; only a Backup's own map to it.
        SecondaryToPrimaryMapper<Job> toBackup = Mappers.fromOwnerReferences(Backup.class);
        var agentJobs = InformerEventSourceConfiguration.from(Job.class, Backup.class)
                .withName(JOBS)
                .withLabelSelector(BacktrackApi.MANAGED_BY_LABEL + "=" + BacktrackApi.MANAGED_BY)
                .withSecondaryToPrimaryMapper(toBackup)
                .withItemStore(JobCache.reduced())
                .build();
        // Read, never reconciled from: a Backup checks it is not about to read a database a Restore is rewriting
        // without a request to the API server per Backup, and the gate sees the Restores in progress. A Backup that
        // waits rechecks on its own.
        var restores = InformerEventSourceConfiguration.from(Restore.class, Backup.class)
                .withName(RESTORES)
                .withItemStore(new WithoutManagedFields.Restores())
                .withSecondaryToPrimaryMapper(restore -> Set.of())
                .build();
        var jobsSource = new InformerEventSource<>(agentJobs, context);
        var restoresSource = new InformerEventSource<>(restores, context);
        gate.watch(jobsSource, restoresSource);
        var agentPods = AgentPods.watch(context, Backup.class, BacktrackApi.BACKUP_LABEL, jobsSource, toBackup);
        pods = agentPods;
        return List.of(jobsSource, restoresSource, agentPods.source());
    }

    /** For reconcile() called without the operator (unit tests): where the Pods of a Job are found. */
    void podsFrom(JobPods pods) {
        this.pods = pods;
    }

    @Override
    public UpdateControl<Backup> reconcile(Backup backup, Context<Backup> context) {
        Instant now = clock.instant();
        metrics.backupSeen(backup);
        BackupStatus status = backup.getStatus();
        if (status != null && status.phase() != null && status.phase().isTerminal()) {
            return finished(backup, context, now);
        }
        if (backup.getSpec() != null && backup.getSpec().discovered()) {
            // Found in a bucket: nothing to back up. Its BackupStorage's sync writes its status from the manifest.
            return UpdateControl.noUpdate();
        }
        Optional<Job> job = job(context, BackupJobs.backupJobName(backup));
        if (job.isPresent()) {
            return observe(backup, job.get(), now);
        }
        if (status != null && status.jobName() != null) {
            return jobVanished(backup, status, now);
        }
        if (firings.holdStarts(now)) {
            return UpdateControl.<Backup>noUpdate().rescheduleAfter(DueFirings.HOLD);
        }
        BackupPreconditions.Checked checked = preconditions.check(backup, restores(context));
        if (checked.problem().isPresent()) {
            return refuse(backup, checked.problem().get(), now);
        }
        IndexedResourceCache<Backup> backups = context.getPrimaryCache();
        JobAdmission.Decision admission = gate.admitBackup(backup, backups::list);
        if (!admission.admitted()) {
            return queued(backup, admission.message(), gate.recheckAfter(admission), now);
        }
        return start(backup, checked, context, now);
    }

    /** Pending, reason Queued: said once (status and Event), then looked at again every few seconds. */
    private UpdateControl<Backup> queued(Backup backup, String message, Duration recheck, Instant now) {
        BackupStatusDraft draft = new BackupStatusDraft(backup);
        if (!QueuedStatus.announce(events, backup, draft, message)) {
            return UpdateControl.<Backup>noUpdate().rescheduleAfter(recheck);
        }
        backup.setStatus(draft.pending(ConditionReason.Queued, message, now).build());
        return UpdateControl.patchStatus(backup).rescheduleAfter(recheck);
    }

    private UpdateControl<Backup> start(Backup backup, BackupPreconditions.Checked checked, Context<Backup> context,
                                        Instant now) {
        Job job = jobs.backup(backup, checked.storage(), checked.encryption());
        CreateOnce.create(client, job, context.eventSourceRetriever().getEventSourceFor(Job.class, JOBS));
        LOG.infof("backup started namespace=%s backup=%s job=%s", backup.getMetadata().getNamespace(),
                backup.getMetadata().getName(), job.getMetadata().getName());
        events.normal(backup, "Started", "backup Job " + job.getMetadata().getName() + " created for database "
                + backup.getSpec().database().database() + " on " + backup.getSpec().database().host());
        backup.setStatus(new BackupStatusDraft(backup).running(job.getMetadata().getName(), now).build());
        return UpdateControl.patchStatus(backup);
    }

    private UpdateControl<Backup> observe(Backup backup, Job job, Instant now) {
        JobOutcome outcome = JobOutcome.of(job, client);
        String jobName = job.getMetadata().getName();
        switch (outcome.state()) {
            case RUNNING -> {
                return running(backup, job, now);
            }
            case SUCCEEDED -> {
                if (!outcome.result().ok()) {
                    return fail(backup, ConditionReason.AgentResultMissing.name(), "backup Job " + jobName
                            + " succeeded but left no result; see kubectl logs job/" + jobName, now);
                }
                BackupResult result = outcome.result().as(BackupResult.class);
                if (BackupJobs.askedToEncrypt(job) && result.encryption() == null) {
                    // An agent that ignores the recipients (an image from before encryption) wrote plaintext where
                    // ciphertext was asked for: never counted as a backup.
                    return fail(backup, ConditionReason.EncryptionNotApplied.name(), "backup Job " + jobName
                            + " was given age recipients but its agent wrote an unencrypted archive, s3://"
                            + result.bucket() + "/" + result.archiveKey() + " (an agent image from before archive "
                            + "encryption?); it is not counted as a backup: delete it, and back up again with an "
                            + "agent image that encrypts", now);
                }
                backup.setStatus(new BackupStatusDraft(backup).completed(result, now).build());
                LOG.infof("backup completed namespace=%s backup=%s sha256=%s sizeBytes=%s",
                        backup.getMetadata().getNamespace(), backup.getMetadata().getName(), result.sha256(),
                        result.sizeBytes());
                events.normal(backup, "Completed", backup.getStatus().message() + ", sha256 " + result.sha256());
                metrics.backupFinished(backup);
                return expiryReschedule(UpdateControl.patchStatus(backup), backup, now);
            }
            default -> {
                JobFailure cause = JobFailure.of(outcome, jobName, job);
                return fail(backup, cause.reason(), cause.message(), now);
            }
        }
    }

    /**
     * A Job that has not ended: Running, unless its Pod has not started ({@link PodTrouble}): an image that cannot be
     * pulled fails the Backup (its Job is then stopped, see {@link #finished}); a Pod no node can take keeps it
     * Pending with the scheduler's message. A change of a Pod that has not started reconciles the Backup
     * ({@link AgentPods}).
     */
    private UpdateControl<Backup> running(Backup backup, Job job, Instant now) {
        String jobName = job.getMetadata().getName();
        PodTrouble.Look look = PodTrouble.look(job, pods);
        Optional<PodTrouble> trouble = look.trouble();
        if (trouble.isPresent() && trouble.get().kind() == PodTrouble.Kind.IMAGE_PULL_FAILED) {
            // The operator's own status write starts no reconcile: ask for the one that stops the Job (finished()).
            return fail(backup, ConditionReason.ImagePullFailed.name(), trouble.get().message(), now)
                    .rescheduleAfter(Duration.ZERO);
        }
        BackupStatusDraft draft = new BackupStatusDraft(backup);
        boolean newlyUnschedulable = trouble.isPresent()
                && !ConditionReason.Unschedulable.name().equals(draft.readyReason());
        BackupStatus next = trouble.map(t -> draft.unschedulable(jobName, t.message(), now))
                .orElseGet(() -> draft.running(jobName, now)).build();
        UpdateControl<Backup> control;
        if (next.equals(backup.getStatus())) {
            control = UpdateControl.noUpdate();
        } else {
            if (newlyUnschedulable) {
                events.warning(backup, ConditionReason.Unschedulable.name(), trouble.get().message());
            }
            backup.setStatus(next);
            control = UpdateControl.patchStatus(backup);
        }
        return look.again() ? control.rescheduleAfter(PodTrouble.RECHECK) : control;
    }

    private UpdateControl<Backup> jobVanished(Backup backup, BackupStatus status, Instant now) {
        // The informer may lag just after creation: ask the API server before declaring the Job gone.
        if (client.batch().v1().jobs().inNamespace(backup.getMetadata().getNamespace()).withName(status.jobName()).get() != null) {
            return UpdateControl.<Backup>noUpdate().rescheduleAfter(Duration.ofSeconds(2));
        }
        return fail(backup, ConditionReason.JobDeleted.name(), "backup Job " + status.jobName()
                + " was deleted before it finished; create a new Backup to try again", now);
    }

    private UpdateControl<Backup> refuse(Backup backup, Precondition problem, Instant now) {
        String reason = problem.reason().name();
        if (!problem.retryable()) {
            return fail(backup, reason, problem.message(), now);
        }
        BackupStatusDraft draft = new BackupStatusDraft(backup);
        if (draft.readySays(false, reason, problem.message())) {
            return UpdateControl.<Backup>noUpdate().rescheduleAfter(SECRET_RECHECK);
        }
        events.warning(backup, reason, problem.message());
        backup.setStatus(draft.pending(problem.reason(), problem.message(), now).build());
        return UpdateControl.patchStatus(backup).rescheduleAfter(SECRET_RECHECK);
    }

    /** @param reason the operator's ({@link ConditionReason}) or the agent's, as it reported it */
    private UpdateControl<Backup> fail(Backup backup, String reason, String message, Instant now) {
        LOG.warnf("backup failed namespace=%s backup=%s reason=%s message=%s", backup.getMetadata().getNamespace(),
                backup.getMetadata().getName(), reason, message);
        events.warning(backup, reason, message);
        backup.setStatus(new BackupStatusDraft(backup).failed(reason, message, now).build());
        metrics.backupFinished(backup);
        return UpdateControl.patchStatus(backup);
    }

    /**
     * A finished Backup: a failed one's Job that has not ended is stopped; its status written by an older operator gets
     * the conditions it lacks (then the next reconcile goes on); otherwise it waits for its ttl.
     */
    private UpdateControl<Backup> finished(Backup backup, Context<Backup> context, Instant now) {
        if (backup.getStatus().phase() == BackupPhase.Failed) {
            // A Job whose Pod could not start is still active: stop it, so that it holds no slot and no Pod lingers.
            PodTrouble.stopUnfinished(client, job(context, BackupJobs.backupJobName(backup)).stream().toList());
        }
        Optional<BackupStatus> settled = new BackupStatusDraft(backup).settled(now);
        if (settled.isPresent()) {
            backup.setStatus(settled.get());
            return UpdateControl.patchStatus(backup).rescheduleAfter(Duration.ofSeconds(1));
        }
        return expireIfDue(backup, now);
    }

    /** A reconcile that threw: see {@link ReconcileErrors}. A finished Backup keeps its outcome. */
    @Override
    public ErrorStatusUpdateControl<Backup> updateErrorStatus(Backup backup, Context<Backup> context, Exception e) {
        BackupStatus status = backup.getStatus();
        if (status != null && status.phase() != null && status.phase().isTerminal()) {
            return ReconcileErrors.eventOnly(backup, e, events);
        }
        return ReconcileErrors.record(backup, new BackupStatusDraft(backup), backup::setStatus, context, e, events,
                clock.instant());
    }

    /** ttl expiry is retention's decision (a scheduled Backup's is its schedule's), made by the same code. */
    private UpdateControl<Backup> expireIfDue(Backup backup, Instant now) {
        TtlExpiry.Decision expiry = TtlExpiry.decide(backup, now);
        expiry.prune().ifPresent(reason -> pruner.prune(backup, reason, backup));
        return expiry.recheckAfter().map(wait -> UpdateControl.<Backup>noUpdate().rescheduleAfter(wait))
                .orElseGet(UpdateControl::noUpdate);
    }

    private static UpdateControl<Backup> expiryReschedule(UpdateControl<Backup> control, Backup backup, Instant now) {
        String expiresAt = backup.getStatus() == null ? null : backup.getStatus().expiresAt();
        if (expiresAt == null) {
            return control;
        }
        Duration wait = Duration.between(now, Instant.parse(expiresAt));
        return control.rescheduleAfter(wait.isNegative() ? Duration.ZERO : wait);
    }

    @Override
    public DeleteControl cleanup(Backup backup, Context<Backup> context) {
        return deletion.cleanup(backup, job(context, BackupJobs.backupJobName(backup)),
                job(context, BackupJobs.cleanupJobName(backup)));
    }

    /** The Restores in the watched namespaces, from the informer registered as {@value #RESTORES}. */
    @SuppressWarnings("unchecked")
    private static Stream<Restore> restores(Context<Backup> context) {
        var source = (Cache<Restore>) context.eventSourceRetriever().getEventSourceFor(Restore.class, RESTORES);
        return source.list();
    }

    private static Optional<Job> job(Context<Backup> context, String name) {
        return context.getSecondaryResourcesAsStream(Job.class)
                .filter(j -> name.equals(j.getMetadata().getName()))
                .findFirst();
    }
}
