package io.backtrack.controller.job;

import io.backtrack.api.job.JobSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Map;

/**
 * What differs between the agent Jobs (backup, cleanup, later restore): the rest of the Pod is the same
 * for all of them and lives in {@link AgentJobBuilder}.
 *
 * @param owner     the resource the Job belongs to (controller owner reference)
 * @param name      the Job's deterministic name
 * @param labels    labels on the Job and its Pod, on top of the managed-by label
 * @param args      the agent's CLI arguments, as a list (never a shell string)
 * @param env       environment, credentials only as secretKeyRef
 * @param mounts    Secret keys mounted as files (CA bundles, a client certificate), whose paths are in args
 * @param job       the resource's spec.job, laid over the operator's defaults by {@link AgentJobBuilder}; may be null
 */
public record AgentJob(HasMetadata owner, String name, Map<String, String> labels, List<String> args,
                       List<EnvVar> env, List<SecretMount> mounts, JobSettings job) {
    public AgentJob {
        mounts = List.copyOf(mounts);
    }
}
