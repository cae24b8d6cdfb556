package io.backtrack.api.restore;

/**
 * What a Restore does about roles the restored objects are owned by or granted to that do not exist on the target
 * server. Either way they are found in the check step, before anything is touched.
 */
public enum RolesPolicy {
    /** Refuse the restore (reason RolesMissing), naming the missing roles. */
    skip,
    /**
     * Create each missing role from the backup's roles script, with the attributes and memberships it had (no
     * password unless the backup recorded them); a role that exists is never altered.
     */
    createMissing
}
