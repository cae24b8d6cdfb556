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
    /** A file the agent writes its result line to (the container's termination message). */
    public static final String TERMINATION_LOG = "BACKTRACK_TERMINATION_LOG";

    private AgentEnv() {
    }
}
