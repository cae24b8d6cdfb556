package io.backtrack.agent.cli;

import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.PgTls;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.names.DatabaseNames;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.SslMode;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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

    @Option(names = AgentFlags.SSL_MODE, paramLabel = "MODE",
            defaultValue = "${env:" + AgentEnv.PGSSLMODE + ":-" + SslMode.DEFAULT_VALUE + "}",
            description = "TLS to the server, as libpq's sslmode: disable, prefer, require, verify-ca or verify-full "
                    + "(default: $" + AgentEnv.PGSSLMODE + ", else " + SslMode.DEFAULT_VALUE + ")")
    String sslMode;

    @Option(names = AgentFlags.SSL_ROOT_CERT, paramLabel = "PEM",
            defaultValue = "${env:" + AgentEnv.PGSSLROOTCERT + "}",
            description = "CA certificates the server's certificate must chain to (verify-ca, verify-full; "
                    + "default: $" + AgentEnv.PGSSLROOTCERT + ")")
    Path sslRootCert;

    @Option(names = AgentFlags.SSL_CERT, paramLabel = "PEM", defaultValue = "${env:" + AgentEnv.PGSSLCERT + "}",
            description = "Client certificate (default: $" + AgentEnv.PGSSLCERT + ")")
    Path sslCert;

    @Option(names = AgentFlags.SSL_KEY, paramLabel = "PEM", defaultValue = "${env:" + AgentEnv.PGSSLKEY + "}",
            description = "Unencrypted private key of the client certificate: PKCS#8, PKCS#1 RSA or SEC1 EC PEM "
                    + "(default: $" + AgentEnv.PGSSLKEY + ")")
    Path sslKey;

    private PgTls tls;

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
        SslMode mode;
        try {
            mode = SslMode.parse(sslMode);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, AgentFlags.SSL_MODE + ": " + e.getMessage(), e);
        }
        return new PgTarget(host, port, db, user, System.getenv(AgentEnv.PGPASSWORD), tls(mode));
    }

    /** Prepared once per run: the client key's copies are made on the first call. */
    private PgTls tls(SslMode mode) {
        if (tls == null) {
            tls = PgTls.of(mode, sslRootCert, sslCert, sslKey);
        }
        return tls;
    }
}
