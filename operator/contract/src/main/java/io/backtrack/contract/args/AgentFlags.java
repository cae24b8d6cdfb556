package io.backtrack.contract.args;

/**
 * Every flag of the agent's command line. The agent declares its options with these constants and the operator
 * builds its Jobs' arguments with them ({@link AgentArgs}), so neither side can spell a flag the other does not know
 * (the operator's tests parse every Job it builds with the agent's own command line).
 */
public final class AgentFlags {
    // Where the PostgreSQL client tools are (every command; also the root command's).
    public static final String PG_BIN_ROOT = "--pg-bin-root";

    // The object store and the backup's folder in it (every command but list, which takes --prefix).
    public static final String ENDPOINT = "--endpoint";
    public static final String BUCKET = "--bucket";
    public static final String REGION = "--region";
    public static final String STORAGE_TIMEOUT = "--storage-timeout";
    /** A PEM bundle of CA certificates trusted for the object store in addition to the system's (https only). */
    public static final String STORAGE_CA_FILE = "--storage-ca-file";
    /** Address the bucket as a sub-domain of the endpoint (bucket.host) instead of in the path (host/bucket). */
    public static final String VIRTUAL_HOST_STYLE = "--virtual-host-style";
    public static final String KEY = "--key";
    public static final String PREFIX = "--prefix";
    /** Server-side encryption of every object written: S3 or KMS (see ServerSideEncryption). */
    public static final String SSE = "--sse";
    /** The KMS key of --sse KMS; without it the bucket's default KMS key. */
    public static final String SSE_KMS_KEY_ID = "--sse-kms-key-id";

    // Client-side encryption (age): the recipients a backup is encrypted to (repeatable), the identity file a
    // restore, drill or verify --deep decrypts with. Jobs pass both in the environment instead (see AgentEnv).
    public static final String RECIPIENT = "--recipient";
    public static final String IDENTITY_FILE = "--identity-file";

    // The database server (backup, restore, drill); the password only in the environment, see AgentEnv.
    public static final String HOST = "--host";
    public static final String PORT = "--port";
    public static final String DBNAME = "--dbname";
    public static final String USERNAME = "--username";
    // TLS to the database server, as libpq names it (defaults: PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY).
    public static final String SSL_MODE = "--sslmode";
    public static final String SSL_ROOT_CERT = "--sslrootcert";
    public static final String SSL_CERT = "--sslcert";
    public static final String SSL_KEY = "--sslkey";

    // What part of the database (backup: all four; restore: all but --exclude-table).
    public static final String TABLE = "--table";
    public static final String EXCLUDE_TABLE = "--exclude-table";
    public static final String SCHEMA = "--schema";
    public static final String SCHEMA_ONLY = "--schema-only";

    // backup
    public static final String COMPRESSION = "--compression";
    public static final String LEVEL = "--level";
    public static final String DESCRIPTION = "--description";
    public static final String NAMESPACE = "--namespace";
    public static final String BACKUP_NAME = "--backup-name";
    public static final String SCHEDULE = "--schedule";
    public static final String ROLE_PASSWORDS = "--role-passwords";

    // restore
    public static final String STRATEGY = "--strategy";
    public static final String STEP = "--step";
    public static final String VERIFY = "--verify";
    public static final String DATA_ONLY = "--data-only";
    public static final String NO_OWNER = "--no-owner";
    public static final String SIDE_DATABASE = "--side-database";
    public static final String PREVIOUS_DATABASE = "--previous-database";
    public static final String LOCK_TIMEOUT = "--lock-timeout";
    public static final String ROLES = "--roles";
    /** pg_restore's parallel jobs: 2 or more restore from a verified local copy of the archive (newDatabase, swap). */
    public static final String JOBS = "--jobs";
    /** The most {@link #JOBS}: pg_restore's own limit (on Windows); each job is a connection to the server. */
    public static final int MAX_JOBS = 64;

    // verify: also decrypt (with the identity) and decompress an encrypted archive, not only check its SHA-256
    public static final String DEEP = "--deep";

    // probe: with --discover, also report the completed backups under --prefix whose folders are not --known
    public static final String DISCOVER = "--discover";
    /** Comma-separated folder fingerprints (BackupFolder.fingerprint) that already have a Backup; repeatable. */
    public static final String KNOWN = "--known";

    // drill
    public static final String KEEP = "--keep";
    public static final String CHECK_TIMEOUT = "--check-timeout";
    public static final String CHECK = "--check";
    public static final String SQL = "--sql";
    public static final String EXPECT = "--expect";

    /** The S3 region when none is given (a Backup's storage.s3.region, the agent's --region). */
    public static final String DEFAULT_REGION = "us-east-1";
    /** The database port when none is given (a Backup's database.port, the agent's --port). */
    public static final int DEFAULT_PORT = 5432;
    /** {@link #DEFAULT_PORT} as the agent's option default. */
    public static final String DEFAULT_PORT_VALUE = "" + DEFAULT_PORT;

    private AgentFlags() {
    }
}
