package io.backtrack.contract.args;

/**
 * The environment of an agent Job: credentials only ever arrive here, from Secrets ({@code secretKeyRef}), never as
 * flags; and where the agent writes its one-line result besides stdout.
 */
public final class AgentEnv {
    /** The database user, when --username is not given. */
    public static final String PGUSER = "PGUSER";
    public static final String PGPASSWORD = "PGPASSWORD";
    public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    /** With temporary static keys only; never set by the operator. */
    public static final String AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN";

    // Without AWS_ACCESS_KEY_ID, the agent takes S3 credentials from the first of these sources that is set, as the
    // AWS SDKs do. The cloud's admission webhooks set them (IRSA, EKS Pod Identity); the operator never does.
    /** Web identity (IRSA, or any STS that trusts the cluster's tokens): a projected token file and a role. */
    public static final String AWS_WEB_IDENTITY_TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
    public static final String AWS_ROLE_ARN = "AWS_ROLE_ARN";
    public static final String AWS_ROLE_SESSION_NAME = "AWS_ROLE_SESSION_NAME";
    /** The STS endpoint for web identity, e.g. a VPC endpoint or an S3-compatible store's own STS. */
    public static final String AWS_ENDPOINT_URL_STS = "AWS_ENDPOINT_URL_STS";
    public static final String AWS_REGION = "AWS_REGION";
    /** The AWS CLI's credentials file (default ~/.aws/credentials) and its profile (default "default"). */
    public static final String AWS_SHARED_CREDENTIALS_FILE = "AWS_SHARED_CREDENTIALS_FILE";
    public static final String AWS_PROFILE = "AWS_PROFILE";
    /** Container credentials: EKS Pod Identity (FULL_URI and a token file), ECS (RELATIVE_URI). */
    public static final String AWS_CONTAINER_CREDENTIALS_FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    public static final String AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
    public static final String AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
    public static final String AWS_CONTAINER_AUTHORIZATION_TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    /** Instance metadata (IMDSv2) is the last source; {@code true} turns it off, the endpoint moves it. */
    public static final String AWS_EC2_METADATA_DISABLED = "AWS_EC2_METADATA_DISABLED";
    public static final String AWS_EC2_METADATA_SERVICE_ENDPOINT = "AWS_EC2_METADATA_SERVICE_ENDPOINT";

    // libpq's names, read as the defaults of --sslmode, --sslrootcert, --sslcert and --sslkey.
    public static final String PGSSLMODE = "PGSSLMODE";
    public static final String PGSSLROOTCERT = "PGSSLROOTCERT";
    public static final String PGSSLCERT = "PGSSLCERT";
    public static final String PGSSLKEY = "PGSSLKEY";
    /**
     * The age recipients a backup is encrypted to, as in an age recipients file: one {@code age1...} X25519 public
     * key per line, blank lines and {@code #} comments ignored (a Backup's or BackupStorage's
     * encryption.age.recipientsSecret). Set but holding no recipient fails the backup: it never falls back to
     * writing plaintext.
     */
    public static final String AGE_RECIPIENTS = "BACKTRACK_AGE_RECIPIENTS";
    /**
     * The age identity (private key) a restore, drill and {@code verify --deep} decrypt an encrypted archive with,
     * as in an age identity file ({@code AGE-SECRET-KEY-1...} lines): a Restore's decryption.identitySecret, never
     * a BackupStorage's.
     */
    public static final String AGE_IDENTITY = "BACKTRACK_AGE_IDENTITY";
    /** A file the agent writes its result line to (the container's termination message). */
    public static final String TERMINATION_LOG = "BACKTRACK_TERMINATION_LOG";

    private AgentEnv() {
    }
}
