package io.backtrack.agent.roles;

import java.util.List;

/**
 * A role a database needs, as the source server had it: its attributes, the roles it is a member of (among the
 * roles recorded with it), and why the database needs it.
 *
 * @param validUntil  the password's expiry as the server prints it, or null
 * @param password    the stored password hash (only when asked for; never logged, never in the manifest)
 * @param memberOf    roles it is a member of, each with whether it may grant that membership on
 * @param owns        it owns objects in the database (or the database)
 * @param granted     privileges on objects in the database are granted to it (or it is named in a policy)
 */
public record DatabaseRole(String name, boolean superuser, boolean inherit, boolean createRole, boolean createDb,
                           boolean login, boolean replication, boolean bypassRls, int connectionLimit,
                           String validUntil, String password, List<Membership> memberOf, boolean owns,
                           boolean granted) {

    public DatabaseRole {
        memberOf = List.copyOf(memberOf);
    }

    /** Attributes that only a superuser may give a new role. */
    public boolean needsSuperuserToCreate() {
        return superuser || replication || bypassRls;
    }

    public record Membership(String role, boolean adminOption) {
    }
}
