package io.backtrack.controller.restore;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.controller.status.Precondition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;

/** Resolves what a Restore reads and where it writes, or says why it cannot. */
final class RestorePlans {
    private final KubernetesClient client;

    RestorePlans(KubernetesClient client) {
        this.client = client;
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
        RestoreTarget target = spec.target() == null ? new RestoreTarget(null, null, null, null) : spec.target();
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
            var db = backup.getSpec().database();
            return new Resolution(new RestorePlan(spec.backupName(), backup.getSpec().storage().s3(),
                    backup.getStatus().archive().key(),
                    or(target.host(), db.host()),
                    target.port() != null ? target.port() : db.portOrDefault(),
                    or(target.database(), db.database()),
                    target.credentialsSecret() != null ? target.credentialsSecret() : db.credentialsSecret(),
                    spec), null);
        }
        if (target.host() == null || target.credentialsSecret() == null) {
            return refuse(ConditionReason.InvalidSpec, "a restore from source needs target.host and target.credentialsSecret:"
                    + " there is no Backup resource to take them from", false);
        }
        return new Resolution(new RestorePlan(null, spec.source().storage().s3(), trimSlashes(spec.source().key()),
                target.host(), target.port() != null ? target.port() : AgentFlags.DEFAULT_PORT, target.database(),
                target.credentialsSecret(), spec), null);
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
            S3Storage s3 = spec.source().storage() == null ? null : spec.source().storage().s3();
            if (s3 == null || s3.endpoint() == null || s3.bucket() == null || s3.credentialsSecret() == null) {
                problems.add("source.storage.s3 needs endpoint, bucket and credentialsSecret");
            }
            if (spec.source().key() == null || trimSlashes(spec.source().key()).isEmpty()) {
                problems.add("source.key must name the backup's folder in the bucket");
            }
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
        if (spec.job() != null && spec.job().backoffLimit() != null && spec.job().backoffLimit() < 0) {
            problems.add("job.backoffLimit must not be negative");
        }
        return problems;
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
