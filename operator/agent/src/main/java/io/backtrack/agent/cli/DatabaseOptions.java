package io.backtrack.agent.cli;

import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.names.DatabaseNames;
import io.backtrack.contract.result.Reason;
import picocli.CommandLine.Option;

/** PostgreSQL connection flags; the password comes from PGPASSWORD only, the user from --username or PGUSER. */
public final class DatabaseOptions {
    @Option(names = AgentFlags.HOST, required = true, paramLabel = "HOST",
            description = "Database host or Service name")
    String host;

    @Option(names = AgentFlags.PORT, defaultValue = AgentFlags.DEFAULT_PORT_VALUE, paramLabel = "PORT",
            description = "Database port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = AgentFlags.DBNAME, paramLabel = "DB",
            description = "Database name (restore: default the backup's own)")
    String database;

    @Option(names = AgentFlags.USERNAME, paramLabel = "USER", description = "Database user (default: $PGUSER)")
    String username;

    PgTarget toTarget() {
        return toTarget(null);
    }

    boolean hasDatabase() {
        return !StorageOptions.blank(database);
    }

    /** @param fallbackDatabase used when --dbname is absent (restore: the manifest's database), else null */
    PgTarget toTarget(String fallbackDatabase) {
        String db = StorageOptions.blank(database) ? fallbackDatabase : database;
        String user = StorageOptions.blank(username) ? System.getenv(AgentEnv.PGUSER) : username;
        if (StorageOptions.blank(user)) {
            throw new AgentFailure(Reason.InvalidArguments, "no database user: pass --username or set PGUSER");
        }
        if (port < 1 || port > 65535) {
            throw new AgentFailure(Reason.InvalidArguments, "--port " + port + " is not a TCP port");
        }
        if (StorageOptions.blank(db)) {
            throw new AgentFailure(Reason.InvalidArguments, "--dbname is required");
        }
        try {
            // PostgreSQL would silently cut a longer name and act on another database.
            DatabaseNames.requireValid(db, AgentFlags.DBNAME);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        return new PgTarget(host, port, db, user, System.getenv(AgentEnv.PGPASSWORD));
    }
}
