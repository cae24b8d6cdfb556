package io.backtrack.controller.restore;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreSource;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.api.restore.VerifyMode;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.controller.drill.DrillChecks;
import io.backtrack.controller.drill.ServerIdentity;
import io.backtrack.controller.job.EncryptionAccess;
import io.backtrack.controller.job.JobSettingsCheck;
import io.backtrack.controller.secrets.TlsRules;
import io.backtrack.controller.status.Precondition;
import io.backtrack.controller.storage.S3Checks;
import io.backtrack.controller.storage.StorageLocations;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;

/** Resolves what a Restore reads and where it writes, or says why it cannot. */
final class RestorePlans {
    private final KubernetesClient client;
    private final ServerIdentity servers;
    private final StorageLocations storages;

    RestorePlans(KubernetesClient client, ServerIdentity servers) {
        this.client = client;
        this.servers = servers;
        this.storages = new StorageLocations(client);
    }

    /** Either a plan or the precondition that stops it (never both). */
    record Resolution(RestorePlan plan, Precondition problem) {
    }

    Resolution resolve(Restore restore) {
        RestoreSpec spec = restore.getSpec();
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            return refuse(ConditionReason.InvalidSpec, String.join("; ", problems), false);
        }
        RestoreTarget target = spec.target() == null ? RestoreTarget.SAME : spec.target();
        if (spec.backupName() != null) {
            String ns = restore.getMetadata().getNamespace();
            Backup backup = client.resources(Backup.class).inNamespace(ns).withName(spec.backupName()).get();
            if (backup == null) {
                return refuse(ConditionReason.BackupNotFound, "Backup " + ns + "/" + spec.backupName()
                        + " does not exist; to restore from storage alone use spec.source", false);
            }
            BackupPhase phase = backup.getStatus() == null ? null : backup.getStatus().phase();
            if (phase == BackupPhase.Failed) {
                return refuse(ConditionReason.BackupNotCompleted, "Backup " + ns + "/" + spec.backupName()
                        + " failed, so there is nothing to restore; pick a Completed Backup", false);
            }
            if (phase != BackupPhase.Completed || backup.getStatus().archive() == null) {
                return refuse(ConditionReason.BackupNotCompleted, "Backup " + ns + "/" + spec.backupName() + " is "
                        + (phase == null ? "not started" : phase) + ", not Completed; the restore waits for it", true);
            }
            StorageLocations.Resolution storage = storages.resolve(ns, backup.getSpec().storage(),
                    backup.getSpec().storageRef(), "storage", "the restore starts once it exists");
            if (storage.problem() != null) {
                return new Resolution(null, storage.problem());
            }
            String archiveBucket = backup.getStatus().archive().bucket();
            if (archiveBucket != null && !archiveBucket.equals(storage.s3().bucket())) {
                return refuse(ConditionReason.InvalidSpec, "Backup " + ns + "/" + spec.backupName() + " is in bucket "
                        + archiveBucket + " but its BackupStorage now names bucket " + storage.s3().bucket()
                        + " (changing a BackupStorage moves no archive); restore it with source.storage naming bucket "
                        + archiveBucket + " and source.key " + backup.getStatus().archive().key(), false);
            }
            var archive = backup.getStatus().archive();
            if (archive.encrypted() && spec.decryption() == null) {
                return refuse(ConditionReason.DecryptionFailed, "Backup " + ns + "/" + spec.backupName() + " is "
                        + "encrypted with " + archive.encryption() + " to " + recipients(archive.recipients())
                        + "; set spec.decryption.identitySecret to a Secret holding the identity (private key) of "
                        + "one of them, in a new Restore (a Restore's spec is immutable); nothing was touched", false);
            }
            if (archive.encrypted() && spec.parallelJobsOrDefault() > 1) {
                return refuse(ConditionReason.InvalidSpec, "Backup " + ns + "/" + spec.backupName() + " is encrypted, "
                        + "and parallelJobs would write its decrypted dump to the restore Job's disk; restore it "
                        + "streamed, without parallelJobs, in a new Restore (a Restore's spec is immutable); nothing "
                        + "was touched", false);
            }
            var db = backup.getSpec().database();
            if (db == null) {
                return discovered(backup, spec, target, storage.s3(), storage.encryption());
            }
            if (spec.drill() != null && target.database().equals(db.database()) && servers.same(ns, target.host(),
                    target.port() != null ? target.port() : AgentFlags.DEFAULT_PORT, db.host(), db.portOrDefault())) {
                return refuse(ConditionReason.LiveDatabaseTarget, "the drill's target " + target.host() + "/"
                        + target.database() + " is the backed-up database " + db.address() + " itself; a drill "
                        + "restores into a new scratch database: name another database or another server", false);
            }
            String host = or(target.host(), db.host());
            return new Resolution(new RestorePlan(spec.backupName(), storage.s3(),
                    backup.getStatus().archive().key(),
                    host,
                    target.port() != null ? target.port() : db.portOrDefault(),
                    or(target.database(), db.database()),
                    target.credentialsSecret() != null ? target.credentialsSecret() : db.credentialsSecret(),
                    // The backup's CA and client certificate are for its own server; another host gets its own.
                    target.tls() != null ? target.tls() : host.equals(db.host()) ? db.tls() : null,
                    spec, EncryptionAccess.effective(backup.getSpec().encryption(), storage.encryption())), null);
        }
        if (target.host() == null || target.credentialsSecret() == null) {
            return refuse(ConditionReason.InvalidSpec, "a restore from source needs target.host and target.credentialsSecret:"
                    + " there is no Backup resource to take them from", false);
        }
        StorageLocations.Resolution storage = storages.resolve(restore.getMetadata().getNamespace(),
                spec.source().storage(), spec.source().storageRef(), "source.storage", "the restore starts once it exists");
        if (storage.problem() != null) {
            return new Resolution(null, storage.problem());
        }
        return new Resolution(new RestorePlan(null, storage.s3(), trimSlashes(spec.source().key()),
                target.host(), target.port() != null ? target.port() : AgentFlags.DEFAULT_PORT, target.database(),
                target.credentialsSecret(), target.tls(), spec, storage.encryption()), null);
    }

    private static List<String> problems(RestoreSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            return List.of("spec is missing");
        }
        boolean hasBackup = spec.backupName() != null && !spec.backupName().isBlank();
        if (hasBackup == (spec.source() != null)) {
            problems.add("set exactly one of backupName (a Backup in this namespace) and source (a backup folder in storage)");
        }
        if (spec.source() != null) {
            if ((spec.source().storage() == null) == (spec.source().storageRef() == null)) {
                problems.add(RestoreSource.ONE_STORAGE);
            } else if (spec.source().storage() != null) {
                problems.addAll(S3Checks.problems(spec.source().storage().s3(), "source.storage.s3"));
            }
            if (spec.source().key() == null || trimSlashes(spec.source().key()).isEmpty()) {
                problems.add("source.key must name the backup's folder in the bucket");
            }
        }
        if (spec.target() != null) {
            TlsRules.database(spec.target().tls(), "target.tls", problems);
        }
        var scope = spec.scopeOrEmpty();
        if (scope.isSchemaOnly() && scope.isDataOnly()) {
            problems.add("scope.schemaOnly and scope.dataOnly exclude each other");
        }
        boolean partial = !scope.tablesOrEmpty().isEmpty() || !scope.schemasOrEmpty().isEmpty() || scope.isDataOnly();
        if (partial && spec.strategyOrDefault() == RestoreStrategy.swap) {
            problems.add("strategy swap replaces the whole database, so it needs a full-scope restore;"
                    + " restore part of a backup with strategy inPlace or newDatabase");
        }
        if (spec.drill() != null) {
            problems.addAll(drillProblems(spec));
        }
        problems.addAll(JobSettingsCheck.problems(spec.job(), "job"));
        problems.addAll(EncryptionAccess.problems(spec.decryption(), "decryption"));
        return problems;
    }

    private static String recipients(List<String> recipients) {
        return recipients == null || recipients.isEmpty() ? "recipients its status does not name"
                : "recipient(s) " + String.join(", ", recipients);
    }

    /** What the CRD's rules refuse of a drill Restore, for specs the API server let through before it had them. */
    private static List<String> drillProblems(RestoreSpec spec) {
        List<String> problems = new ArrayList<>();
        RestoreTarget t = spec.target();
        if (spec.backupName() == null || t == null || t.host() == null || t.database() == null
                || t.credentialsSecret() == null) {
            problems.add("a drill restores a Backup (backupName) into target.database, a new scratch database on "
                    + "target.host, with target.credentialsSecret: set them all");
        }
        if ((spec.strategy() != null && spec.strategy() != RestoreStrategy.newDatabase) || spec.scope() != null
                || spec.quiesce() != null || Boolean.TRUE.equals(spec.safetyBackup())
                || (spec.verify() != null && spec.verify() != VerifyMode.rowCounts)) {
            problems.add("a drill restores the whole backup into a new scratch database and verifies it: leave "
                    + "strategy, scope, quiesce, safetyBackup and verify unset");
        }
        problems.addAll(DrillChecks.problems("drill", spec.drill().checksOrEmpty(), spec.drill().checkTimeout()));
        return problems;
    }

    /**
     * A Backup found in a bucket (origin Discovered) names no database server of this cluster: the target says where
     * the backup goes, its database name defaulting to the backed-up one's (the manifest's).
     */
    private static Resolution discovered(Backup backup, RestoreSpec spec, RestoreTarget target, S3Storage s3,
                                         EncryptionSpec encryption) {
        String named = "Backup " + backup.getMetadata().getNamespace() + "/" + backup.getMetadata().getName();
        if (target.host() == null || target.credentialsSecret() == null) {
            return refuse(ConditionReason.InvalidSpec, named + " was found in a bucket (origin Discovered) and names "
                    + "no database server: set target.host and target.credentialsSecret (target.database defaults to "
                    + "the backed-up database's name)", false);
        }
        var database = backup.getStatus().database();
        return new Resolution(new RestorePlan(spec.backupName(), s3, backup.getStatus().archive().key(), target.host(),
                target.port() != null ? target.port() : AgentFlags.DEFAULT_PORT,
                or(target.database(), database == null ? null : database.name()), target.credentialsSecret(),
                target.tls(), spec, encryption), null);
    }

    private static Resolution refuse(ConditionReason reason, String message, boolean retryable) {
        return new Resolution(null, new Precondition(reason, message, retryable));
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String trimSlashes(String key) {
        return key.replaceAll("^/+|/+$", "");
    }
}
