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

/**
 * A BackupStorage's probe Job: {@code backtrack-agent probe} under its prefix. A new Job (and name) per probe; the
 * generation it checks is in an annotation, so a result that arrives after the spec changed is known as an old one.
 */
final class ProbeJobs {
    static final String ROLE_PROBE = "probe";
    /** On a probe Job: the BackupStorage's metadata.generation it checks. */
    static final String GENERATION_ANNOTATION = BacktrackApi.GROUP + "/generation";
    /** A probe is a handful of small requests: a store that takes longer than this is not usable for backups. */
    static final long ACTIVE_DEADLINE_SECONDS = 300;

    private final AgentJobBuilder builder;
    private final BacktrackConfig.Agent config;

    ProbeJobs(BacktrackConfig.Agent config) {
        this.config = config;
        this.builder = new AgentJobBuilder(config);
    }

    /**
     * The name of the probe of this generation started at {@code at}: a new name per probe, so a probe never meets
     * the previous one's Job still being deleted.
     */
    static String name(BackupStorage storage, Instant at) {
        return JobNames.forOwner(storage.getMetadata().getNamespace(), storage.getMetadata().getName(),
                ROLE_PROBE + "-" + storage.getMetadata().getGeneration() + "-" + at.getEpochSecond());
    }

    Job probe(BackupStorage storage, Instant at) {
        S3Storage s3 = storage.getSpec().s3();
        List<String> args = StorageAccess.args(AgentArgs.probe(), s3).prefix(s3.prefix()).build();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(BacktrackApi.STORAGE_LABEL, LabelValues.of(storage.getMetadata().getName()));
        labels.put(BacktrackApi.ROLE_LABEL, ROLE_PROBE);
        Job job = builder.build(new AgentJob(storage, name(storage, at), labels, args, StorageAccess.env(s3),
                EffectiveJobSettings.of(new JobSettings(ACTIVE_DEADLINE_SECONDS, 0, null, null, null), config)));
        job.getMetadata().setAnnotations(Map.of(GENERATION_ANNOTATION,
                String.valueOf(storage.getMetadata().getGeneration())));
        return job;
    }
}
