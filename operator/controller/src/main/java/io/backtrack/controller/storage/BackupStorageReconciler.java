package io.backtrack.controller.storage;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.BackupStorageSpec;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSync;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.layout.BackupFolder;
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
import io.javaoperatorsdk.operator.processing.event.ResourceID;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * BackupStorage: validate → probe now (new or changed spec) or every probeInterval, one probe Job at a time → record
 * the probe's result as the Available condition and the counts. A probe Job is deleted once its result is recorded.
 * Probe Jobs take no agent Job slot (backtrack.agent.max-running-jobs guards databases; a probe touches none).
 * <p>
 * With {@code sync}, every probe also discovers ({@code --discover}, naming the folders every Backup the operator sees
 * already stands for, {@link KnownFolders}), at least every sync.interval; the backups it found become Backups
 * ({@link DiscoveredBackups}), and while it found more than its result line could carry, the next probe starts at
 * once, so a bucket of hundreds of backups is imported in minutes.
 */
@ControllerConfiguration(name = "backupstorage")
public class BackupStorageReconciler implements Reconciler<BackupStorage> {
    private static final Logger LOG = Logger.getLogger(BackupStorageReconciler.class);
    static final Duration SECRET_RECHECK = Duration.ofSeconds(15);
    /** Skipped folders named in the FoldersSkipped Event, and Backups named in the Imported Event. */
    static final int SKIPPED_IN_EVENT = 5;
    static final int IMPORTED_IN_EVENT = 10;

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final ProbeJobs jobs;
    private final SecretCheck secrets;
    private final DiscoveredBackups discovered;
    /**
     * The probe Job whose result was recorded last, per BackupStorage: a deleted Job can linger in the informer's cache
     * for a moment, and its result, recorded again, would count the same sync's imports twice (or as none).
     */
    private final Map<String, String> recordedJobs = new ConcurrentHashMap<>();
    /** The probe Jobs' informer, handed each probe Job created ({@link CreateOnce}); set before the first reconcile. */
    private volatile InformerEventSource<Job, BackupStorage> probeJobs;

    public BackupStorageReconciler(KubernetesClient client, EventRecorder events, BacktrackConfig config, Clock clock) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.jobs = new ProbeJobs(config.agent());
        this.secrets = new SecretCheck(client);
        this.discovered = new DiscoveredBackups(client, events);
    }

    @Override
    public List<EventSource<?, BackupStorage>> prepareEventSources(EventSourceContext<BackupStorage> context) {
        var probes = InformerEventSourceConfiguration.from(Job.class, BackupStorage.class)
                .withLabelSelector(BacktrackApi.STORAGE_LABEL)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(BackupStorage.class))
                .withItemStore(JobCache.reduced())
                .build();
        probeJobs = new InformerEventSource<>(probes, context);
        return List.of(probeJobs);
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
        long generation = storage.getMetadata().getGeneration() == null ? 0 : storage.getMetadata().getGeneration();
        Recorded recorded = recordFinished(storage, generation, probes, draft, now);
        boolean changed = recorded.changed();
        boolean running = probes.stream().anyMatch(j -> !JobOutcome.isFinished(j));

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
        StorageSync sync = storage.getSpec().sync();
        Optional<Duration> wait = sync != null && draft.syncContinues() ? Optional.empty()
                : untilDue(storage, draft.build().lastProbeTime(), draft.build().observedGeneration(), generation, now);
        if (wait.isPresent()) {
            return finish(storage, draft, before, changed, wait.get());
        }
        Optional<Set<String>> known = sync == null ? Optional.empty()
                : Optional.of(known(s3, context, recorded.handledKeys()));
        String job = CreateOnce.create(client, jobs.probe(storage, now, known), probeJobs);
        boolean first = !Objects.equals(draft.build().observedGeneration(), generation);
        draft.probing(job, first, "probing s3://" + s3.bucket() + "/" + (s3.prefix() == null ? "" : s3.prefix())
                + " with Job " + job, now);
        LOG.infof("storage probe started namespace=%s backupStorage=%s job=%s", storage.getMetadata().getNamespace(),
                storage.getMetadata().getName(), job);
        return finish(storage, draft, before, true, null);
    }

    /**
     * What recording the finished probes did: whether the status changed, and the folders of the backups a sync just
     * handled. The next probe is told of them directly: those it refused to import (a name taken by another Backup)
     * stand for no Backup, and found again, they would make every continuing probe report the same folders.
     */
    private record Recorded(boolean changed, Set<String> handledKeys) {
        static final Recorded NOTHING = new Recorded(false, Set.of());
    }

    /** Records the newest finished probe (and imports what it found) and deletes every finished one. */
    private Recorded recordFinished(BackupStorage storage, long currentGeneration, List<Job> probes,
                                   BackupStorageStatusDraft draft, Instant now) {
        List<Job> finished = new ArrayList<>(probes.stream().filter(JobOutcome::isFinished).toList());
        if (finished.isEmpty()) {
            return Recorded.NOTHING;
        }
        Job newest = finished.get(finished.size() - 1);
        String name = newest.getMetadata().getName();
        String key = storage.getMetadata().getNamespace() + "/" + storage.getMetadata().getName();
        if (name.equals(recordedJobs.get(key))) {
            delete(finished);
            return Recorded.NOTHING;
        }
        long generation = ProbeJobs.number(newest, ProbeJobs.GENERATION_LABEL);
        JobOutcome outcome = JobOutcome.of(newest, client);
        Set<String> handled = Set.of();
        if (outcome.state() == JobOutcome.State.SUCCEEDED && outcome.result().ok()) {
            ProbeResult result = outcome.result().as(ProbeResult.class);
            draft.probed(result, generation, now);
            // Only a probe of the spec as it is now imports: one of an older spec may have searched another bucket.
            if (result.found() != null && generation == currentGeneration && storage.getSpec() != null
                    && storage.getSpec().sync() != null) {
                handled = sync(storage, result, draft, now);
            }
        } else if (outcome.state() == JobOutcome.State.SUCCEEDED) {
            draft.unavailable(ConditionReason.AgentResultMissing.name(), "probe Job " + name
                    + " succeeded but left no result; see kubectl logs job/" + name, generation, now);
        } else {
            JobFailure failure = JobFailure.of(outcome, name, newest);
            draft.unavailable(failure.reason(), failure.message(), generation, now);
        }
        delete(finished);
        recordedJobs.put(key, name);
        return new Recorded(true, handled);
    }

    /** Their results are in the status now; the next probe is a new Job. */
    private void delete(List<Job> finished) {
        finished.forEach(j -> client.resource(j).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }

    /** Imports what a discovery probe found; returns the folders it handled. */
    private Set<String> sync(BackupStorage storage, ProbeResult result, BackupStorageStatusDraft draft, Instant now) {
        String bucket = storage.getSpec().s3().bucket();
        String where = "s3://" + bucket + "/" + (result.prefix() == null ? "" : result.prefix());
        Integer skippedBefore = draft.skippedCount();
        DiscoveredBackups.Outcome outcome = discovered.importAll(storage, bucket, result.found(), now);
        // More to import, and this probe carried some: look again at once. (One that carried none would only be
        // asked the same again.)
        boolean continues = result.remaining() != null && result.remaining() > 0 && !result.found().isEmpty();
        draft.synced(result, outcome.created().size(), continues, now);
        if (!outcome.created().isEmpty()) {
            events.normal(storage, "Imported", "imported " + outcome.created().size() + " backup(s) found in " + where
                    + ": " + String.join(", ", outcome.created().stream().limit(IMPORTED_IN_EVENT).toList())
                    + (outcome.created().size() > IMPORTED_IN_EVENT ? ", ..." : "")
                    + (continues ? "; " + result.remaining() + " more to look at" : ""));
        }
        int skipped = result.skippedCount() == null ? 0 : result.skippedCount();
        if (!continues && skipped > 0 && !Objects.equals(skippedBefore, skipped)) {
            events.warning(storage, "FoldersSkipped", skipped + " folder(s) under " + where + " are not imported, "
                    + "not being complete backups: " + (result.skipped() == null ? Stream.<ProbeResult.SkippedFolder>empty()
                    : result.skipped().stream()).limit(SKIPPED_IN_EVENT)
                    .map(f -> f.key() + " (" + f.reason() + ")").collect(Collectors.joining(", "))
                    + (skipped > SKIPPED_IN_EVENT ? ", ..." : "") + "; see status.skipped");
        }
        LOG.infof("storage synced namespace=%s backupStorage=%s found=%d created=%d present=%d refused=%d "
                        + "remaining=%s skipped=%d", storage.getMetadata().getNamespace(), storage.getMetadata().getName(),
                result.found().size(), outcome.created().size(), outcome.present().size(), outcome.refused().size(),
                result.remaining(), skipped);
        return result.found().stream().map(ProbeResult.FoundBackup::key).collect(Collectors.toSet());
    }

    /** The fingerprints of the folders of this bucket that need no import: see {@link KnownFolders}. */
    private Set<String> known(S3Storage s3, Context<BackupStorage> context, Set<String> justHandled) {
        Set<String> known = KnownFolders.fingerprints(s3.bucket(), s3.prefix(), backups(context),
                backup -> storageOf(backup, context));
        justHandled.forEach(key -> known.add(new BackupFolder(key).fingerprint()));
        return known;
    }

    /** The bucket a Backup's spec names: inline, or its BackupStorage's (from this controller's cache). */
    private static Optional<S3Storage> storageOf(Backup backup, Context<BackupStorage> context) {
        if (backup.getSpec().storage() != null) {
            return Optional.ofNullable(backup.getSpec().storage().s3());
        }
        if (backup.getSpec().storageRef() == null || backup.getSpec().storageRef().name() == null) {
            return Optional.empty();
        }
        return context.getPrimaryCache()
                .get(new ResourceID(backup.getSpec().storageRef().name(), backup.getMetadata().getNamespace()))
                .map(s -> s.getSpec() == null ? null : s.getSpec().s3());
    }

    /** The Backups in the namespaces this controller watches, listed now: see {@link BackupPages}. */
    private Stream<Backup> backups(Context<BackupStorage> context) {
        return BackupPages.all(client, context.getControllerConfiguration().getEffectiveNamespaces());
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

    /** probeInterval, or sync.interval when that is shorter: every probe of a storage with sync also discovers. */
    private static Duration interval(BackupStorageSpec spec) {
        Duration probe = Durations.parseOptional(spec.probeInterval(), "probeInterval")
                .orElseGet(() -> Durations.parse(BackupStorageSpec.DEFAULT_PROBE_INTERVAL, "probeInterval"));
        if (spec.sync() == null) {
            return probe;
        }
        Duration sync = Durations.parse(spec.sync().interval(), "sync.interval");
        return sync.compareTo(probe) < 0 ? sync : probe;
    }

    static List<String> problems(BackupStorageSpec spec) {
        if (spec == null) {
            return List.of("spec is missing");
        }
        List<String> problems = new ArrayList<>(S3Checks.problems(spec.s3(), "s3"));
        atLeastAMinute(spec.probeInterval(), "probeInterval", problems);
        if (spec.sync() != null) {
            if (spec.sync().interval() == null || spec.sync().interval().isBlank()) {
                problems.add("sync.interval is required, e.g. 1h");
            } else {
                atLeastAMinute(spec.sync().interval(), "sync.interval", problems);
            }
        }
        problems.addAll(EncryptionAccess.problems(spec.encryption(), "encryption"));
        return problems;
    }

    private static void atLeastAMinute(String interval, String field, List<String> problems) {
        Duration min = Durations.parse(StorageSync.MIN_INTERVAL, field);
        try {
            Durations.parseOptional(interval, field).ifPresent(d -> {
                if (d.compareTo(min) < 0) {
                    throw new IllegalArgumentException(field + " " + interval + " is shorter than "
                            + StorageSync.MIN_INTERVAL + ": a probe Job every few seconds only loads the store");
                }
            });
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
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
