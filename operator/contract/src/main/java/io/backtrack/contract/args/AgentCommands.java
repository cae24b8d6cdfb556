package io.backtrack.contract.args;

/** The agent's commands ({@code backtrack-agent <command>}): the first argument of every agent Job. */
public final class AgentCommands {
    /** Dump a database into a backup folder: the archive, then manifest.json. */
    public static final String BACKUP = "backup";
    /** Restore a backup folder into a database, one {@code --step} at a time or all of them. */
    public static final String RESTORE = "restore";
    /** Check a stored archive without a database: its SHA-256 and size against the manifest, and that it decompresses. */
    public static final String VERIFY = "verify";
    /** Restore a backup into a scratch database, compare it, run read-only checks, drop it: proof and timing. */
    public static final String DRILL = "drill";
    /** List the completed backups under a prefix (plain text for people, no result line). */
    public static final String LIST = "list";
    /**
     * Check a storage location (list, then write, read and delete a probe object) and count the backups under a
     * prefix: a BackupStorage's Available condition. With --discover, also report the completed backups whose
     * folders the operator did not name as --known (a BackupStorage's sync), as many as fit in the result line.
     */
    public static final String PROBE = "probe";
    /** Delete a backup folder, manifest first. */
    public static final String DELETE = "delete";

    private AgentCommands() {
    }
}
