package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupScope;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.CompressionAlgorithm;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.job.AgentJob;
import io.backtrack.controller.job.AgentJobBuilder;
import io.backtrack.controller.job.StorageAccess;
import io.backtrack.controller.job.EffectiveJobSettings;
import io.backtrack.controller.job.JobNames;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import io.backtrack.controller.restore.RestorePlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Jobs a Backup runs: the backup itself, and the cleanup that deletes its archive (deletionPolicy Delete). */
public final class BackupJobs {
    public static final String ROLE_BACKUP = "backup";
    public static final String ROLE_CLEANUP = "cleanup";

    private final BacktrackConfig.Agent config;
    private final AgentJobBuilder builder;

    public BackupJobs(BacktrackConfig.Agent config) {
        this.config = config;
        this.builder = new AgentJobBuilder(config);
    }

    public static String backupJobName(Backup backup) {
        return JobNames.forOwner(backup.getMetadata().getNamespace(), backup.getMetadata().getName(), ROLE_BACKUP);
    }

    public static String cleanupJobName(Backup backup) {
        return JobNames.forOwner(backup.getMetadata().getNamespace(), backup.getMetadata().getName(), ROLE_CLEANUP);
    }

    /** The safety-backup role is chosen by the Restore that creates such a Backup (label on the Backup). */
    static String role(Backup backup) {
        String role = backup.getMetadata().getLabels() == null ? null : backup.getMetadata().getLabels().get(BacktrackApi.ROLE_LABEL);
        return role == null ? ROLE_BACKUP : role;
    }

    public Job backup(Backup backup) {
        BackupSpec spec = backup.getSpec();
        DatabaseSpec db = spec.database();
        List<String> args = new ArrayList<>(List.of(
                "backup",
                "--host", db.host(),
                "--port", Integer.toString(db.portOrDefault()),
                "--dbname", db.database()));
        args.addAll(StorageAccess.args(spec.storage().s3(), BackupFolder.of(backup)));
        Compression compression = spec.compressionOrDefault();
        CompressionAlgorithm algorithm = compression.algorithmOrDefault();
        args.addAll(List.of("--compression", algorithm.name()));
        if (compression.level() != null && algorithm != CompressionAlgorithm.none) {
            args.addAll(List.of("--level", compression.level().toString()));
        }
        BackupScope scope = spec.scopeOrEmpty();
        scope.tablesOrEmpty().forEach(t -> args.addAll(List.of("--table", t)));
        scope.excludeTablesOrEmpty().forEach(t -> args.addAll(List.of("--exclude-table", t)));
        scope.schemasOrEmpty().forEach(s -> args.addAll(List.of("--schema", s)));
        if (scope.isSchemaOnly()) {
            args.add("--schema-only");
        }
        if (spec.description() != null && !spec.description().isBlank()) {
            args.addAll(List.of("--description", spec.description()));
        }
        args.addAll(List.of("--namespace", backup.getMetadata().getNamespace(), "--backup-name", backup.getMetadata().getName()));
        String schedule = LabelValues.nameIn(backup, BacktrackApi.SCHEDULE_LABEL);
        if (schedule != null) {
            args.addAll(List.of("--schedule", schedule));
        }

        List<EnvVar> env = new ArrayList<>(StorageAccess.databaseEnv(db.credentialsSecret()));
        env.addAll(StorageAccess.env(spec.storage().s3()));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(BacktrackApi.BACKUP_LABEL, LabelValues.of(backup.getMetadata().getName()));
        labels.put(BacktrackApi.ROLE_LABEL, role(backup));
        labels.put(BacktrackApi.DATABASE_LABEL, LabelValues.of(RestorePlan.address(db.host(), db.portOrDefault(), db.database())));
        String restore = backup.getMetadata().getLabels() == null ? null : backup.getMetadata().getLabels().get(BacktrackApi.RESTORE_LABEL);
        if (restore != null) {
            labels.put(BacktrackApi.RESTORE_LABEL, restore); // a safety backup: it runs within its Restore's slot
        }
        return builder.build(new AgentJob(backup, backupJobName(backup), labels, args, env,
                EffectiveJobSettings.of(spec.job(), config)));
    }

    /** Deletes the backup's folder: manifest first, so a half-deleted backup is never listed. */
    public Job cleanup(Backup backup) {
        S3Storage s3 = backup.getSpec().storage().s3();
        List<String> args = new ArrayList<>(List.of("delete"));
        args.addAll(StorageAccess.args(s3, BackupFolder.of(backup)));
        return builder.build(new AgentJob(backup, cleanupJobName(backup),
                Map.of(BacktrackApi.BACKUP_LABEL, LabelValues.of(backup.getMetadata().getName()), BacktrackApi.ROLE_LABEL, ROLE_CLEANUP),
                args, StorageAccess.env(s3), EffectiveJobSettings.of(backup.getSpec().job(), config)));
    }
}
