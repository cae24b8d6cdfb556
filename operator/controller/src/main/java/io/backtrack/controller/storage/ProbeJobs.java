package io.backtrack.controller.storage;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.job.JobSettings;
import io.backtrack.api.storage.BackupStorage;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.args.AgentArgs;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.job.AgentJob;
import io.backtrack.controller.job.AgentJobBuilder;
import io.backtrack.controller.job.EffectiveJobSettings;
import io.backtrack.controller.job.JobNames;
import io.backtrack.controller.job.StorageAccess;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A BackupStorage's probe Job: {@code backtrack-agent probe} under its prefix. A new Job (and name) per probe; the
 * generation it checks and when it started are labels (the operator's Job cache keeps labels, not annotations or
 * creation times), so a result that arrives after the spec changed is known as an old one. With a sync, the probe
 * discovers too ({@code --discover --known ...}).
 */
final class ProbeJobs {
    static final String ROLE_PROBE = "probe";
    /** On a probe Job: the BackupStorage's metadata.generation it checks. */
    static final String GENERATION_LABEL = BacktrackApi.GROUP + "/generation";
    /** On a probe Job: when it was created, in epoch seconds. */
    static final String STARTED_LABEL = BacktrackApi.GROUP + "/probe-started";
    /** A probe is a handful of small requests: a store that takes longer than this is not usable for backups. */
    static final long ACTIVE_DEADLINE_SECONDS = 300;

    private final AgentJobBuilder builder;
    private final BacktrackConfig.Agent config;

    ProbeJobs(BacktrackConfig.Agent config) {
        this.config = config;
        this.builder = new AgentJobBuilder(config);
    }

    /** A label of a probe Job read as a number; 0 when it is missing or not one (never the newest, never current). */
    static long number(Job job, String label) {
        String value = job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get(label);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The name of the probe of this generation started at {@code at}: a new name per probe, so a probe never meets
     * the previous one's Job still being deleted.
     */
    static String name(BackupStorage storage, Instant at) {
        return JobNames.forOwner(storage.getMetadata().getNamespace(), storage.getMetadata().getName(),
                ROLE_PROBE + "-" + storage.getMetadata().getGeneration() + "-" + at.getEpochSecond());
    }

    /** @param known with a sync: the fingerprints of the folders that need no import (the probe then discovers) */
    Job probe(BackupStorage storage, Instant at, Optional<Set<String>> known) {
        S3Storage s3 = storage.getSpec().s3();
        AgentArgs probe = StorageAccess.args(AgentArgs.probe(), s3).prefix(s3.prefix());
        known.ifPresent(probe::discover);
        List<String> args = probe.build();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(BacktrackApi.STORAGE_LABEL, LabelValues.of(storage.getMetadata().getName()));
        labels.put(BacktrackApi.ROLE_LABEL, ROLE_PROBE);
        labels.put(GENERATION_LABEL, String.valueOf(storage.getMetadata().getGeneration()));
        labels.put(STARTED_LABEL, String.valueOf(at.getEpochSecond()));
        return builder.build(new AgentJob(storage, name(storage, at), labels, args, StorageAccess.env(s3),
                StorageAccess.mounts(s3), new JobSettings(ACTIVE_DEADLINE_SECONDS, 0, null, null, null, null, null, null,
                null, null, null)));
    }
}
