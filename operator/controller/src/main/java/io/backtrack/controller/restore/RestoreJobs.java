package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreScope;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.controller.config.BacktrackConfig;
import io.backtrack.controller.job.AgentJob;
import io.backtrack.controller.job.AgentJobBuilder;
import io.backtrack.controller.job.EffectiveJobSettings;
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
 * The three agent Jobs of a Restore: check (touches nothing: manifest, SHA-256, target, versions), restore, and
 * verify (row counts, then for swap the rename). Between check and restore the operator takes the safety
 * backup and quiesces the workloads.
 */
final class RestoreJobs {
    enum Step { check, restore, verify }

    private final BacktrackConfig.Agent config;
    private final AgentJobBuilder builder;

    RestoreJobs(BacktrackConfig.Agent config) {
        this.config = config;
        this.builder = new AgentJobBuilder(config);
    }

    static String name(Restore restore, Step step) {
        return JobNames.forOwner(restore.getMetadata().getNamespace(), restore.getMetadata().getName(), "restore-" + step);
    }

    Job build(Restore restore, RestorePlan plan, Step step, Instant startedAt) {
        RestoreStrategy strategy = plan.spec().strategyOrDefault();
        List<String> args = new ArrayList<>(List.of("restore"));
        args.addAll(StorageAccess.args(plan.storage(), plan.key()));
        args.addAll(List.of("--host", plan.host(), "--port", Integer.toString(plan.port())));
        if (plan.database() != null) {
            args.addAll(List.of("--dbname", plan.database()));
        }
        args.addAll(List.of("--strategy", strategy.name(), "--phase", step.name(),
                "--verify", plan.spec().verifyOrDefault().name()));
        if (strategy == RestoreStrategy.swap && plan.database() != null) {
            args.addAll(List.of("--side-database", DatabaseNames.side(plan.database(), restore.getMetadata().getUid()),
                    "--previous-database", DatabaseNames.previous(plan.database(), startedAt)));
        }
        RestoreScope scope = plan.spec().scopeOrEmpty();
        scope.tablesOrEmpty().forEach(t -> args.addAll(List.of("--table", t)));
        scope.schemasOrEmpty().forEach(s -> args.addAll(List.of("--schema", s)));
        if (scope.isSchemaOnly()) {
            args.add("--schema-only");
        }
        if (scope.isDataOnly()) {
            args.add("--data-only");
        }
        List<EnvVar> env = new ArrayList<>(StorageAccess.databaseEnv(plan.credentials()));
        env.addAll(StorageAccess.env(plan.storage()));
        return builder.build(new AgentJob(restore, name(restore, step),
                Map.of(BacktrackApi.RESTORE_LABEL, LabelValues.of(restore.getMetadata().getName()),
                        BacktrackApi.ROLE_LABEL, "restore",
                        BacktrackApi.STEP_LABEL, step.name(),
                        BacktrackApi.DATABASE_LABEL, LabelValues.of(plan.target())),
                args, env, EffectiveJobSettings.of(plan.spec().job(), config)));
    }
}
