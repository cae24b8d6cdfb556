package io.backtrack.controller.job;

import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.contract.args.AgentEnv;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.List;

/**
 * How an agent Job logs in to a database: the user and password as secretKeyRef env from the credentials Secret, as
 * the agent and libpq read them; never in a flag. (Where the database is travels as flags: AgentArgs.database.)
 */
public final class DatabaseAccess {
    private DatabaseAccess() {
    }

    public static List<EnvVar> env(DatabaseCredentials credentials) {
        return List.of(
                AgentJobBuilder.fromSecret(AgentEnv.PGUSER, credentials.name(), credentials.usernameKeyOrDefault()),
                AgentJobBuilder.fromSecret(AgentEnv.PGPASSWORD, credentials.name(), credentials.passwordKeyOrDefault()));
    }
}
