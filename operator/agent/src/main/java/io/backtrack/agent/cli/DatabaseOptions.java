package io.backtrack.agent.cli;

import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import picocli.CommandLine.Option;

/** PostgreSQL connection flags; the password comes from PGPASSWORD only, the user from --username or PGUSER. */
public final class DatabaseOptions {
    @Option(names = "--host", required = true, paramLabel = "HOST", description = "Database host or Service name")
    String host;

    @Option(names = "--port", defaultValue = "5432", paramLabel = "PORT", description = "Database port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--dbname", required = true, paramLabel = "DB", description = "Database name")
    String database;

    @Option(names = "--username", paramLabel = "USER", description = "Database user (default: $PGUSER)")
    String username;

    PgTarget toTarget() {
        String user = StorageOptions.blank(username) ? System.getenv("PGUSER") : username;
        if (StorageOptions.blank(user)) {
            throw new AgentFailure(Reason.InvalidArguments, "no database user: pass --username or set PGUSER");
        }
        if (port < 1 || port > 65535) {
            throw new AgentFailure(Reason.InvalidArguments, "--port " + port + " is not a TCP port");
        }
        if (StorageOptions.blank(database)) {
            throw new AgentFailure(Reason.InvalidArguments, "--dbname must not be empty");
        }
        return new PgTarget(host, port, database, user, System.getenv("PGPASSWORD"));
    }
}
