package io.backtrack.e2e.backup;

import io.backtrack.e2e.agent.AgentProcess;
import io.backtrack.e2e.harness.BacktrackEnvironment;

import java.util.List;
import java.util.Map;

/** The break-glass CLI against the environment's S3 and PostgreSQL: what an SRE would run from a laptop. */
final class AgentCli {
    private AgentCli() {
    }

    static AgentProcess.Outcome restore(BacktrackEnvironment env, String bucket, String key, String newDatabase) {
        return AgentProcess.run(List.of("restore",
                        "--endpoint", env.s3().endpoint(), "--bucket", bucket, "--key", key,
                        "--host", env.postgres().host(), "--port", Integer.toString(env.postgres().port()),
                        "--dbname", newDatabase, "--username", env.postgres().superuser()),
                Map.of("PGPASSWORD", env.postgres().password(),
                        "AWS_ACCESS_KEY_ID", env.s3().accessKey(),
                        "AWS_SECRET_ACCESS_KEY", env.s3().secretKey()));
    }
}
