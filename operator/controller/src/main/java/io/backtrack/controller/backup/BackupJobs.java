package io.backtrack.controller.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.ArchiveStatus;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupScope;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.database.DatabaseSpec;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.args.AgentArgs;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.job.AgentJob;
import io.backtrack.controller.job.AgentJobBuilder;
import io.backtrack.controller.job.DatabaseAccess;
import io.backtrack.controller.job.EncryptionAccess;
import io.backtrack.controller.job.JobNames;
import io.backtrack.controller.job.StorageAccess;
import io.backtrack.controller.naming.LabelValues;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Jobs a Backup runs: the backup itself, and the cleanup that deletes its archive (deletionPolicy Delete). */
public final class BackupJobs {
    public static final String ROLE_BACKUP = "backup";
    public static final String ROLE_CLEANUP = "cleanup";

    private final AgentJobBuilder builder;

    public BackupJobs(BacktrackConfig.Agent config) {
        this.builder = new AgentJobBuilder(config);
    }

    public static String backupJobName(Backup backup) {
        return JobNames.forOwner(backup.getMetadata().getNamespace(), backup.getMetadata().getName(), ROLE_BACKUP);
    }

    /** True if the backup Job was told to encrypt: its agent had recipients in its environment. */
    public static boolean askedToEncrypt(Job job) {
        return job.getSpec() != null && job.getSpec().getTemplate() != null
                && job.getSpec().getTemplate().getSpec() != null
                && job.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getEnv() != null)
                .flatMap(c -> c.getEnv().stream())
                .anyMatch(e -> AgentEnv.AGE_RECIPIENTS.equals(e.getName()));
    }

    public static String cleanupJobName(Backup backup) {
        return JobNames.forOwner(backup.getMetadata().getNamespace(), backup.getMetadata().getName(), ROLE_CLEANUP);
    }

    /** The safety-backup role is chosen by the Restore that creates such a Backup (label on the Backup). */
    static String role(Backup backup) {
        String role = backup.getMetadata().getLabels() == null ? null : backup.getMetadata().getLabels().get(BacktrackApi.ROLE_LABEL);
        return role == null ? ROLE_BACKUP : role;
    }

    /**
     * The Backup's folder in its bucket: the one its status names once it completed (a BackupStorage whose prefix
     * changed since moves nothing), else {@code <prefix>/<namespace>/<name>} under the storage's prefix.
     */
    public static BackupFolder folder(Backup backup, S3Storage storage) {
        ArchiveStatus archive = backup.getStatus() == null ? null : backup.getStatus().archive();
        if (archive != null && archive.key() != null) {
            return new BackupFolder(archive.key());
        }
        return BackupFolder.of(storage.prefix(), backup.getMetadata().getNamespace(), backup.getMetadata().getName());
    }

    /**
     * The backup Job; {@code encryption} (the Backup's own, else its BackupStorage's; null: none) puts the age
     * recipients in its environment, and the agent then writes only ciphertext or fails.
     */
    public Job backup(Backup backup, S3Storage storage, EncryptionSpec encryption) {
        BackupSpec spec = backup.getSpec();
        DatabaseSpec db = spec.database();
        Compression compression = spec.compressionOrDefault();
        BackupScope scope = spec.scopeOrEmpty();
        List<String> args = StorageAccess.args(DatabaseAccess.tlsArgs(
                        AgentArgs.backup().database(db.host(), db.portOrDefault(), db.database()), db.tls()),
                        storage)
                .folder(folder(backup, storage))
                .compression(compression.algorithmOrDefault().name(), compression.level())
                .tables(scope.tablesOrEmpty())
                .excludeTables(scope.excludeTablesOrEmpty())
                .schemas(scope.schemasOrEmpty())
                .schemaOnly(scope.isSchemaOnly())
                .rolePasswords(spec.rolesOrDefault().passwordsOrDefault())
                .description(spec.description())
                .backupResource(backup.getMetadata().getNamespace(), backup.getMetadata().getName())
                .schedule(LabelValues.nameIn(backup, BacktrackApi.SCHEDULE_LABEL))
                .build();

        List<EnvVar> env = new ArrayList<>(DatabaseAccess.env(db.credentialsSecret()));
        env.addAll(StorageAccess.env(storage));
        env.addAll(EncryptionAccess.recipientsEnv(encryption));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(BacktrackApi.BACKUP_LABEL, LabelValues.of(backup.getMetadata().getName()));
        labels.put(BacktrackApi.ROLE_LABEL, role(backup));
        labels.put(BacktrackApi.DATABASE_LABEL, LabelValues.of(db.address()));
        String restore = backup.getMetadata().getLabels() == null ? null : backup.getMetadata().getLabels().get(BacktrackApi.RESTORE_LABEL);
        if (restore != null) {
            labels.put(BacktrackApi.RESTORE_LABEL, restore); // a safety backup: it runs within its Restore's slot
        }
        return builder.build(new AgentJob(backup, backupJobName(backup), labels, args, env,
                DatabaseAccess.mounts(db.tls(), storage), spec.job()));
    }

    /** Deletes the backup's folder: manifest first, so a half-deleted backup is never listed. */
    public Job cleanup(Backup backup, S3Storage s3) {
        List<String> args = StorageAccess.args(AgentArgs.delete(), s3).folder(folder(backup, s3)).build();
        return builder.build(new AgentJob(backup, cleanupJobName(backup),
                Map.of(BacktrackApi.BACKUP_LABEL, LabelValues.of(backup.getMetadata().getName()), BacktrackApi.ROLE_LABEL, ROLE_CLEANUP),
                args, StorageAccess.env(s3), StorageAccess.mounts(s3), backup.getSpec().job()));
    }
}
