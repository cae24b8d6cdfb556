package io.backtrack.contract.wire;

/**
 * What a restore does about roles its objects are owned by or granted to that do not exist on the target server:
 * the agent's {@code --roles}, the Restore resource's {@code spec.roles} (the CRD's own enum, same spellings, same
 * default). Either way a missing role is found in the check step, before anything is touched.
 */
public enum RolesPolicy implements WireValue {
    /** Refuse the restore (reason RolesMissing) naming the missing roles. */
    SKIP("skip"),
    /**
     * Create each missing role from the backup's roles script, with the attributes and memberships it had; a role
     * that exists is never altered.
     */
    CREATE_MISSING("createMissing");

    /** The default, for annotations: creating roles on a server is a cluster-wide change, asked for explicitly. */
    public static final String DEFAULT_VALUE = "skip";

    private final String wireName;

    RolesPolicy(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static RolesPolicy parse(String value) {
        return WireValue.parse(RolesPolicy.class, value, "roles policy");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
