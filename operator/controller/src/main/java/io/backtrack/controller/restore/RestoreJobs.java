package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreScope;
import io.backtrack.contract.args.AgentArgs;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.names.DatabaseNames;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent Jobs of a Restore, one per {@link RestoreStep}: check (touches nothing: manifest, SHA-256, target,
 * versions), restore, and compare (row counts, then for swap the rename), which an inPlace restore does not have: it
 * compares inside its restore step's transaction. Between check and restore the operator quiesces the workloads and
 * takes the safety backup.
 */
final class RestoreJobs {
    private final AgentJobBuilder builder;

    RestoreJobs(BacktrackConfig.Agent config) {
        this.builder = new AgentJobBuilder(config);
    }

    static String name(Restore restore, RestoreStep step) {
        return JobNames.forOwner(restore.getMetadata().getNamespace(), restore.getMetadata().getName(),
                "restore-" + step.wireName());
    }

    /** The agent's steps the plan runs as Jobs, in order. */
    static List<RestoreStep> steps(RestorePlan plan) {
        return strategy(plan).hasCompareStep() ? List.of(RestoreStep.CHECK, RestoreStep.RESTORE, RestoreStep.COMPARE)
                : List.of(RestoreStep.CHECK, RestoreStep.RESTORE);
    }

    /** The Restore's strategy as the agent spells it (the CRD's enum has the same names). */
    private static RestoreStrategy strategy(RestorePlan plan) {
        return RestoreStrategy.parse(plan.spec().strategyOrDefault().name());
    }

    Job build(Restore restore, RestorePlan plan, RestoreStep step, Instant startedAt) {
        RestoreStrategy strategy = strategy(plan);
        RestoreScope scope = plan.spec().scopeOrEmpty();
        AgentArgs args = DatabaseAccess.tlsArgs(StorageAccess.args(AgentArgs.restore(), plan.storage())
                .folder(new BackupFolder(plan.key()))
                .database(plan.host(), plan.port(), plan.database()), plan.tls())
                .strategy(strategy.wireName())
                .step(step)
                .verify(plan.spec().verifyOrDefault().name())
                .roles(plan.spec().rolesOrDefault().name())
                .noOwner(plan.spec().noOwnerOrDefault());
        if (strategy == RestoreStrategy.IN_PLACE) {
            args.lockTimeout(plan.spec().lockTimeoutOrDefault());
        } else {
            // The check step too: it refuses what the restore step would (an encrypted archive) before any change.
            args.jobs(plan.spec().parallelJobsOrDefault());
        }
        if (strategy == RestoreStrategy.SWAP && plan.database() != null) {
            // Every step of one Restore (and a restarted operator) arrives at the same two names.
            args.swapDatabases(DatabaseNames.side(plan.database(), JobNames.shortHash(restore.getMetadata().getUid())),
                    DatabaseNames.previous(plan.database(), startedAt));
        }
        args.tables(scope.tablesOrEmpty()).schemas(scope.schemasOrEmpty()).schemaOnly(scope.isSchemaOnly())
                .dataOnly(scope.isDataOnly());
        List<EnvVar> env = new ArrayList<>(DatabaseAccess.env(plan.credentials()));
        env.addAll(StorageAccess.env(plan.storage()));
        // Every step reads the archive's table of contents (compare too: what it counts is resolved from it).
        env.addAll(EncryptionAccess.identityEnv(plan.spec().decryption()));
        return builder.build(new AgentJob(restore, name(restore, step),
                Map.of(BacktrackApi.RESTORE_LABEL, LabelValues.of(restore.getMetadata().getName()),
                        BacktrackApi.ROLE_LABEL, "restore",
                        BacktrackApi.STEP_LABEL, step.wireName(),
                        BacktrackApi.DATABASE_LABEL, LabelValues.of(plan.target())),
                args.build(), env, DatabaseAccess.mounts(plan.tls(), plan.storage()), plan.spec().job()));
    }
}
