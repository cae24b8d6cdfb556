package io.backtrack.contract.args;

/**
 * Where an agent Job finds the files it is given from Secrets (CA bundles, a client certificate), mounted read-only
 * with mode 0400: the operator mounts each Secret key at one of these paths and passes the path as a flag
 * ({@link AgentFlags#STORAGE_CA_FILE}, {@link AgentFlags#SSL_ROOT_CERT}, {@link AgentFlags#SSL_CERT},
 * {@link AgentFlags#SSL_KEY}), so the agent never knows a Secret's name or keys.
 */
public final class AgentMounts {
    /** The CA bundle trusted for the object store, in addition to the system's. */
    public static final String STORAGE_CA_DIR = "/etc/backtrack/storage-ca";
    public static final String STORAGE_CA_FILE = STORAGE_CA_DIR + "/ca.crt";
    /** The CA bundle the database server's certificate is checked against. */
    public static final String DATABASE_CA_DIR = "/etc/backtrack/database-ca";
    public static final String DATABASE_CA_FILE = DATABASE_CA_DIR + "/ca.crt";
    /** The client certificate (PEM) and its private key (PEM: PKCS#8, PKCS#1 or SEC1) for the database server. */
    public static final String DATABASE_CLIENT_DIR = "/etc/backtrack/database-client";
    public static final String DATABASE_CLIENT_CERT = DATABASE_CLIENT_DIR + "/tls.crt";
    public static final String DATABASE_CLIENT_KEY = DATABASE_CLIENT_DIR + "/tls.key";
    /** Mode of every mounted file: read by the agent's user only. */
    public static final int FILE_MODE = 0400;

    private AgentMounts() {
    }
}
