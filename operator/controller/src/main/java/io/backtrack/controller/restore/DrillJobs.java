package io.backtrack.controller.restore;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.drill.DrillCheck;
import io.backtrack.api.drill.DrillCheckStatus;
import io.backtrack.api.drill.RestoreDrill;
import io.backtrack.api.drill.RestoreDrillStatus;
import io.backtrack.api.restore.Restore;
import io.backtrack.contract.args.AgentArgs;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.DrillResult;
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
import java.util.List;
import java.util.Map;

/**
 * A drill Restore's one agent Job ({@code backtrack-agent drill}): restore into the scratch database, SHA-256 and row
 * counts against the manifest, the checks read-only, drop. It carries the Restore's labels (role and step
 * {@value BacktrackApi#DRILL}), so the concurrency gate counts it as the Restore's work on the scratch database.
 */
final class DrillJobs {
    private final AgentJobBuilder builder;

    DrillJobs(BacktrackConfig.Agent config) {
        this.builder = new AgentJobBuilder(config);
    }

    static String name(Restore restore) {
        return JobNames.forOwner(restore.getMetadata().getNamespace(), restore.getMetadata().getName(), BacktrackApi.DRILL);
    }

    Job build(Restore restore, RestorePlan plan) {
        RestoreDrill drill = restore.getSpec().drill();
        AgentArgs args = DatabaseAccess.tlsArgs(StorageAccess.args(AgentArgs.drill(), plan.storage())
                .folder(new BackupFolder(plan.key()))
                .database(plan.host(), plan.port(), plan.database()), plan.tls())
                .keep(drill.keepOrDefault())
                .checkTimeout(drill.checkTimeoutOrDefault());
        for (DrillCheck c : drill.checksOrEmpty()) {
            args.check(c.name(), c.sql(), c.expect());
        }
        List<EnvVar> env = new ArrayList<>(DatabaseAccess.env(plan.credentials()));
        env.addAll(StorageAccess.env(plan.storage()));
        env.addAll(EncryptionAccess.identityEnv(restore.getSpec().decryption()));
        return builder.build(new AgentJob(restore, name(restore),
                Map.of(BacktrackApi.RESTORE_LABEL, LabelValues.of(restore.getMetadata().getName()),
                        BacktrackApi.ROLE_LABEL, BacktrackApi.DRILL,
                        BacktrackApi.STEP_LABEL, BacktrackApi.DRILL,
                        BacktrackApi.DATABASE_LABEL, LabelValues.of(plan.target())),
                args.build(), env, DatabaseAccess.mounts(plan.tls(), plan.storage()), restore.getSpec().job()));
    }

    /** What the agent reported, succeeded or not, onto the Restore's status. */
    static void record(RestoreStatusDraft draft, DrillResult result) {
        if (Boolean.TRUE.equals(result.archiveVerified())) {
            draft.archiveVerified();
        }
        if (result.rowsExpected() != null) {
            draft.verification(RestoreStatusDraft.counts(result.tables(), result.rowsExpected(), result.rowsRestored(),
                    result.mismatches(), result.unverified()));
        }
        List<DrillCheckStatus> checks = result.checks() == null ? null : result.checks().stream()
                .map(c -> new DrillCheckStatus(c.name(), c.ok(), c.value(), c.expect(), c.error())).toList();
        draft.drill(new RestoreDrillStatus(result.scratchDatabase(), result.scratchKept(), result.recoverySeconds(), checks));
    }
}
