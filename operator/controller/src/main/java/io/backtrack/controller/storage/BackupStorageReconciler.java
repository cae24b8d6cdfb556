package io.backtrack.controller.storage;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageSpec;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.result.ProbeResult;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.job.CreateOnce;
import io.backtrack.controller.job.EncryptionAccess;
import io.backtrack.controller.job.JobCache;
import io.backtrack.controller.job.JobFailure;
import io.backtrack.controller.job.JobOutcome;
import io.backtrack.controller.secrets.SecretCheck;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * BackupStorage: validate → probe now (new or changed spec) or every probeInterval, one probe Job at a time → record
 * the probe's result as the Available condition and the counts. A probe Job is deleted once its result is recorded.
 * Probe Jobs take no agent Job slot (backtrack.agent.max-running-jobs guards databases; a probe touches none).
 */
@ControllerConfiguration(name = "backupstorage")
public class BackupStorageReconciler implements Reconciler<BackupStorage> {
    private static final Logger LOG = Logger.getLogger(BackupStorageReconciler.class);
    static final Duration SECRET_RECHECK = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final ProbeJobs jobs;
    private final SecretCheck secrets;

    public BackupStorageReconciler(KubernetesClient client, EventRecorder events, BacktrackConfig config, Clock clock) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.jobs = new ProbeJobs(config.agent());
        this.secrets = new SecretCheck(client);
    }

    @Override
    public List<EventSource<?, BackupStorage>> prepareEventSources(EventSourceContext<BackupStorage> context) {
        var probes = InformerEventSourceConfiguration.from(Job.class, BackupStorage.class)
                .withLabelSelector(BacktrackApi.STORAGE_LABEL)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(BackupStorage.class))
                .withItemStore(JobCache.reduced())
                .build();
        return List.of(new InformerEventSource<>(probes, context));
    }

    @Override
    public UpdateControl<BackupStorage> reconcile(BackupStorage storage, Context<BackupStorage> context) {
        Instant now = clock.instant();
        BackupStorageStatusDraft draft = new BackupStorageStatusDraft(storage);
        Condition before = draft.available();
        List<Job> probes = context.getSecondaryResourcesAsStream(Job.class)
                .sorted(Comparator.comparingLong((Job j) -> ProbeJobs.number(j, ProbeJobs.GENERATION_LABEL))
                        .thenComparingLong(j -> ProbeJobs.number(j, ProbeJobs.STARTED_LABEL)))
                .toList();
        boolean changed = recordFinished(probes, draft, now);
        boolean running = probes.stream().anyMatch(j -> !JobOutcome.isFinished(j));

        long generation = storage.getMetadata().getGeneration() == null ? 0 : storage.getMetadata().getGeneration();
        List<String> problems = problems(storage.getSpec());
        if (!problems.isEmpty()) {
            String text = String.join("; ", problems);
            if (!draft.availableSays(false, ConditionReason.InvalidSpec.name(), text)) {
                draft.unavailable(ConditionReason.InvalidSpec.name(), text, generation, now);
                changed = true;
            }
            return finish(storage, draft, before, changed, null);
        }
        S3Storage s3 = storage.getSpec().s3();
        Optional<String> missing = secrets.missingForStorage(storage.getMetadata().getNamespace(), s3);
        if (missing.isPresent()) {
            String text = missing.get() + "; the location is probed once it exists";
            if (!draft.availableSays(false, ConditionReason.SecretNotFound.name(), text)) {
                draft.unavailable(ConditionReason.SecretNotFound.name(), text, null, now);
                changed = true;
            }
            return finish(storage, draft, before, changed, SECRET_RECHECK);
        }
        if (running) {
            return finish(storage, draft, before, changed, null); // the Job's end is an event
        }
        Optional<Duration> wait = untilDue(storage, draft.build().lastProbeTime(), draft.build().observedGeneration(),
                generation, now);
        if (wait.isPresent()) {
            return finish(storage, draft, before, changed, wait.get());
        }
        String job = CreateOnce.create(client, jobs.probe(storage, now));
        boolean first = !Objects.equals(draft.build().observedGeneration(), generation);
        draft.probing(job, first, "probing s3://" + s3.bucket() + "/" + (s3.prefix() == null ? "" : s3.prefix())
                + " with Job " + job, now);
        LOG.infof("storage probe started namespace=%s backupStorage=%s job=%s", storage.getMetadata().getNamespace(),
                storage.getMetadata().getName(), job);
        return finish(storage, draft, before, true, null);
    }

    /** Records the newest finished probe and deletes every finished one; true when the status changed. */
    private boolean recordFinished(List<Job> probes, BackupStorageStatusDraft draft, Instant now) {
        List<Job> finished = new ArrayList<>(probes.stream().filter(JobOutcome::isFinished).toList());
        if (finished.isEmpty()) {
            return false;
        }
        Job newest = finished.get(finished.size() - 1);
        String name = newest.getMetadata().getName();
        long generation = ProbeJobs.number(newest, ProbeJobs.GENERATION_LABEL);
        JobOutcome outcome = JobOutcome.of(newest, client);
        if (outcome.state() == JobOutcome.State.SUCCEEDED && outcome.result().ok()) {
            draft.probed(outcome.result().as(ProbeResult.class), generation, now);
        } else if (outcome.state() == JobOutcome.State.SUCCEEDED) {
            draft.unavailable(ConditionReason.AgentResultMissing.name(), "probe Job " + name
                    + " succeeded but left no result; see kubectl logs job/" + name, generation, now);
        } else {
            JobFailure failure = JobFailure.of(outcome, name, newest);
            draft.unavailable(failure.reason(), failure.message(), generation, now);
        }
        // Its result is in the status now; the next probe is a new Job.
        finished.forEach(j -> client.resource(j).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        return true;
    }

    /** Empty when a probe is due now: a spec not probed yet, or probeInterval since the last one. */
    static Optional<Duration> untilDue(BackupStorage storage, String lastProbeTime, Long observedGeneration,
                                       long generation, Instant now) {
        if (lastProbeTime == null || observedGeneration == null || observedGeneration != generation) {
            return Optional.empty();
        }
        Duration interval = interval(storage.getSpec());
        Duration wait = Duration.between(now, Instant.parse(lastProbeTime).plus(interval));
        return wait.isNegative() || wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    private static Duration interval(BackupStorageSpec spec) {
        return Durations.parseOptional(spec.probeInterval(), "probeInterval")
                .orElseGet(() -> Durations.parse(BackupStorageSpec.DEFAULT_PROBE_INTERVAL, "probeInterval"));
    }

    static List<String> problems(BackupStorageSpec spec) {
        if (spec == null) {
            return List.of("spec is missing");
        }
        List<String> problems = new ArrayList<>(S3Checks.problems(spec.s3(), "s3"));
        try {
            Durations.parseOptional(spec.probeInterval(), "probeInterval").ifPresent(d -> {
                if (d.compareTo(Duration.ofMinutes(1)) < 0) {
                    throw new IllegalArgumentException("probeInterval " + spec.probeInterval()
                            + " is shorter than 1m: a probe Job every few seconds only loads the store");
                }
            });
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(EncryptionAccess.problems(spec.encryption(), "encryption"));
        return problems;
    }

    /** Writes the status when it changed, with an Event when Available changed its status or reason. */
    private UpdateControl<BackupStorage> finish(BackupStorage storage, BackupStorageStatusDraft draft, Condition before,
                                               boolean changed, Duration recheck) {
        Condition after = draft.available();
        if (after != null && (before == null || !Objects.equals(before.getStatus(), after.getStatus())
                || !Objects.equals(before.getReason(), after.getReason()))
                && !ConditionReason.Probing.name().equals(after.getReason())) {
            if ("True".equals(after.getStatus())) {
                events.normal(storage, "Available", after.getMessage());
            } else {
                events.warning(storage, after.getReason(), after.getMessage());
            }
            LOG.infof("storage availability namespace=%s backupStorage=%s available=%s reason=%s",
                    storage.getMetadata().getNamespace(), storage.getMetadata().getName(), after.getStatus(),
                    after.getReason());
        }
        UpdateControl<BackupStorage> control;
        if (changed) {
            storage.setStatus(draft.build());
            control = UpdateControl.patchStatus(storage);
        } else {
            control = UpdateControl.noUpdate();
        }
        return recheck == null ? control : control.rescheduleAfter(recheck);
    }
}
