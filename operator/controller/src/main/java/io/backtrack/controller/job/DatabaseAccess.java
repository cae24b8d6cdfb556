package io.backtrack.controller.job;

import io.backtrack.api.database.DatabaseCredentials;
import io.backtrack.api.database.DatabaseTls;
import io.backtrack.api.storage.S3Storage;
import io.backtrack.api.tls.CaSecret;
import io.backtrack.api.tls.ClientCertSecret;
import io.backtrack.contract.args.AgentArgs;
import io.backtrack.contract.args.AgentMounts;
import io.backtrack.contract.args.AgentEnv;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an agent Job logs in to a database: the user and password as secretKeyRef env from the credentials Secret, as
 * the agent and libpq read them; never in a flag. (Where the database is travels as flags: AgentArgs.database.)
 * TLS: the mode as a flag, the CA bundle and client certificate mounted from their Secrets with their paths as flags.
 */
public final class DatabaseAccess {
    static final String CA_VOLUME = "database-ca";
    static final String CLIENT_VOLUME = "database-client";

    private DatabaseAccess() {
    }

    /** {@code --sslmode} and the files that go with it; nothing without tls (the agent's default, prefer). */
    public static AgentArgs tlsArgs(AgentArgs args, DatabaseTls tls) {
        if (tls == null) {
            return args;
        }
        boolean client = tls.clientCertSecret() != null;
        return args.databaseTls(tls.mode().wireName(), tls.caSecret() == null ? null : AgentMounts.DATABASE_CA_FILE,
                client ? AgentMounts.DATABASE_CLIENT_CERT : null, client ? AgentMounts.DATABASE_CLIENT_KEY : null);
    }

    /** The files of a Job that reaches this database and that store: the database's, then the store's CA. */
    public static List<SecretMount> mounts(DatabaseTls tls, S3Storage s3) {
        List<SecretMount> mounts = mounts(tls);
        mounts.addAll(StorageAccess.mounts(s3));
        return mounts;
    }

    /** The CA bundle and the client certificate with its key, as far as tls names them. */
    public static List<SecretMount> mounts(DatabaseTls tls) {
        List<SecretMount> mounts = new ArrayList<>();
        if (tls == null) {
            return mounts;
        }
        CaSecret ca = tls.caSecret();
        if (ca != null) {
            mounts.add(new SecretMount(CA_VOLUME, ca.name(), Map.of(ca.keyOrDefault(), AgentMounts.DATABASE_CA_FILE)));
        }
        ClientCertSecret clientCert = tls.clientCertSecret();
        if (clientCert != null) {
            mounts.add(new SecretMount(CLIENT_VOLUME, clientCert.name(), Map.of(
                    clientCert.certKeyOrDefault(), AgentMounts.DATABASE_CLIENT_CERT,
                    clientCert.keyKeyOrDefault(), AgentMounts.DATABASE_CLIENT_KEY)));
        }
        return mounts;
    }

    public static List<EnvVar> env(DatabaseCredentials credentials) {
        return List.of(
                AgentJobBuilder.fromSecret(AgentEnv.PGUSER, credentials.name(), credentials.usernameKeyOrDefault()),
                AgentJobBuilder.fromSecret(AgentEnv.PGPASSWORD, credentials.name(), credentials.passwordKeyOrDefault()));
    }
}
