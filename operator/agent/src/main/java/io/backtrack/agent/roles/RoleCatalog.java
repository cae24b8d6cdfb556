package io.backtrack.agent.roles;

import io.backtrack.agent.engine.postgres.ToolErrors;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles of a server, read from its catalogs.
 *
 * <p>What a database needs comes from {@code pg_shdepend}, the server's own record of which roles own objects in a
 * database and are named in its ACLs, default privileges and policies (what {@code DROP OWNED} uses), plus the
 * database's owner. Built-in roles (below {@code FirstNormalObjectId}: the bootstrap superuser and the
 * {@code pg_*} roles) exist on every server and are left out.
 */
public final class RoleCatalog {
    /** PostgreSQL's FirstNormalObjectId: OIDs below it belong to objects every server has from initdb. */
    private static final int FIRST_NORMAL_OID = 16384;

    private static final String NEEDED = """
            WITH used AS (
                SELECT d.refobjid AS role, d.deptype = 'o' AS owns, d.deptype <> 'o' AS granted
                  FROM pg_catalog.pg_shdepend d
                 WHERE d.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
                   AND d.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
                UNION ALL
                SELECT datdba, true, false FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
            SELECT r.oid, r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
                   r.rolreplication, r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil::text,
                   pg_catalog.bool_or(u.owns) AS owns, pg_catalog.bool_or(u.granted) AS granted
              FROM used u JOIN pg_catalog.pg_roles r ON r.oid = u.role
             WHERE r.oid >= %d
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
             ORDER BY r.rolname
            """.formatted(FIRST_NORMAL_OID);

    private static final String MEMBERSHIPS = """
            SELECT m.member, g.rolname, m.admin_option
              FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
             ORDER BY g.rolname
            """;

    private RoleCatalog() {
    }

    /**
     * The roles the connected database needs, with their memberships among each other, read in the connection's
     * transaction (the backup's snapshot). Password hashes only when asked: reading them needs a superuser.
     */
    public static List<DatabaseRole> needed(Connection c, boolean passwords) {
        try {
            Map<Long, Row> rows = new LinkedHashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(NEEDED)) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new Row(rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                            rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8), rs.getBoolean(9),
                            rs.getInt(10), rs.getString(11), rs.getBoolean(12), rs.getBoolean(13)));
                }
            }
            Set<String> names = new HashSet<>();
            rows.values().forEach(r -> names.add(r.name));
            Map<Long, List<DatabaseRole.Membership>> memberOf = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MEMBERSHIPS)) {
                while (rs.next()) {
                    long member = rs.getLong(1);
                    String group = rs.getString(2);
                    if (rows.containsKey(member) && names.contains(group)) {
                        memberOf.computeIfAbsent(member, k -> new ArrayList<>())
                                .add(new DatabaseRole.Membership(group, rs.getBoolean(3)));
                    }
                }
            }
            Map<String, String> hashes = passwords ? passwords(c, rows.values()) : Map.of();
            List<DatabaseRole> roles = new ArrayList<>();
            rows.forEach((oid, r) -> roles.add(new DatabaseRole(r.name, r.superuser, r.inherit, r.createRole,
                    r.createDb, r.login, r.replication, r.bypassRls, r.connectionLimit, r.validUntil,
                    hashes.get(r.name), memberOf.getOrDefault(oid, List.of()), r.owns, r.granted)));
            return roles;
        } catch (SQLException e) {
            throw new AgentFailure(Reason.DumpFailed, "cannot read the roles the database needs from pg_shdepend and "
                    + "pg_roles: " + ToolErrors.of(e), e);
        }
    }

    private static Map<String, String> passwords(Connection c, Collection<Row> rows) throws SQLException {
        Map<String, String> hashes = new HashMap<>();
        if (rows.isEmpty()) {
            return hashes;
        }
        String[] names = rows.stream().map(Row::name).toArray(String[]::new);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT rolname, rolpassword FROM pg_catalog.pg_authid WHERE rolname = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        hashes.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new AgentFailure(Reason.DumpFailed, "roles.passwords needs the password hashes in pg_authid, "
                        + "which only a superuser may read; back up as a superuser or leave roles.passwords unset "
                        + "(the roles are recorded without passwords)", e);
            }
            throw e;
        }
        return hashes;
    }

    /** The names of every role on the connected server. */
    public static Set<String> existing(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT rolname FROM pg_catalog.pg_roles")) {
            Set<String> names = new HashSet<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new AgentFailure(Reason.DatabaseUnreachable, "cannot list the roles of the target server: "
                    + ToolErrors.of(e), e);
        }
    }

    /** What the connected user may do about roles: create them at all, and create superuser-only kinds. */
    public static Privileges privileges(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT rolsuper, rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
            if (!rs.next()) {
                return new Privileges(false, false);
            }
            return new Privileges(rs.getBoolean(1), rs.getBoolean(1) || rs.getBoolean(2));
        } catch (SQLException e) {
            throw new AgentFailure(Reason.DatabaseUnreachable, "cannot read the restoring user's privileges: "
                    + ToolErrors.of(e), e);
        }
    }

    public record Privileges(boolean superuser, boolean createRole) {
    }

    private record Row(String name, boolean superuser, boolean inherit, boolean createRole, boolean createDb,
                       boolean login, boolean replication, boolean bypassRls, int connectionLimit, String validUntil,
                       boolean owns, boolean granted) {
    }
}
