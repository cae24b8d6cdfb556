package io.backtrack.e2e.harness;

import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.job.JobSettings;
import io.backtrack.api.restore.Quiesce;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreScope;
import io.backtrack.api.restore.RestoreSource;
import io.backtrack.api.restore.RestoreSpec;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.RestoreTarget;
import io.backtrack.api.restore.VerifyMode;
import io.backtrack.api.storage.S3Credentials;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.storage.StorageSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.List;

/** Restore resources for the scenarios, one piece changed at a time. */
public record RestoreFactory(String backupName, RestoreSource source, RestoreTarget target, RestoreStrategy strategy,
                             RestoreScope scope, Boolean safetyBackup, Quiesce quiesce, Integer parallelJobs) {

    public static RestoreFactory ofBackup(String backupName) {
        return new RestoreFactory(backupName, null, null, null, null, null, null, null);
    }

    /** Straight from storage, for a cluster where the Backup resource does not exist. */
    public static RestoreFactory ofStorage(BacktrackEnvironment env, String bucket, String key) {
        return new RestoreFactory(null, new RestoreSource(new StorageSpec(new S3Storage(env.s3().endpoint(), bucket, null, null, true,
                new S3Credentials(BacktrackEnvironment.S3_SECRET, null, null), null, null)), null, key), null, null, null, null, null, null);
    }

    public RestoreFactory strategy(RestoreStrategy s) {
        return new RestoreFactory(backupName, source, target, s, scope, safetyBackup, quiesce, parallelJobs);
    }

    public RestoreFactory target(BacktrackEnvironment env, String database, String credentialsSecret) {
        return new RestoreFactory(backupName, source, new RestoreTarget(env.postgres().host(), env.postgres().port(), database,
                new DatabaseCredentials(credentialsSecret, null, null)), strategy, scope, safetyBackup, quiesce, parallelJobs);
    }

    public RestoreFactory tables(List<String> tables) {
        return new RestoreFactory(backupName, source, target, strategy, new RestoreScope(tables, null, null, null), safetyBackup, quiesce,
                parallelJobs);
    }

    public RestoreFactory safetyBackup(boolean on) {
        return new RestoreFactory(backupName, source, target, strategy, scope, on, quiesce, parallelJobs);
    }

    public RestoreFactory quiesceDeployments(String... names) {
        return new RestoreFactory(backupName, source, target, strategy, scope, safetyBackup, new Quiesce(List.of(names), null),
                parallelJobs);
    }

    public RestoreFactory both(BacktrackEnvironment env, String bucket, String key) {
        return new RestoreFactory(backupName, ofStorage(env, bucket, key).source(), target, strategy, scope, safetyBackup, quiesce, parallelJobs);
    }

    public RestoreFactory parallelJobs(int jobs) {
        return new RestoreFactory(backupName, source, target, strategy, scope, safetyBackup, quiesce, jobs);
    }

    public Restore build(String namespace, String name) {
        Restore restore = new Restore();
        restore.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        restore.setSpec(new RestoreSpec(backupName, source, target, strategy, scope, safetyBackup, VerifyMode.rowCounts,
                quiesce, JobSettings.limits(120L, 0), null, null, null, null, null, parallelJobs));
        return restore;
    }
}
