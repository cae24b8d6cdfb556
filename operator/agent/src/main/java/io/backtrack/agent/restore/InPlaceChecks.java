package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc.Entry;
import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.ToolErrors;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.RestoreResult;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an in-place restore would fail on, found before anything is touched (read-only catalog queries on the
 * target), so an SRE learns it at the check and not after an hour of restoring into a rolled-back transaction:
 * <ul>
 *   <li>objects of the target that depend on what the restore drops and re-creates, and are not themselves
 *       restored (a view or foreign key made after the backup, another table's foreign key to a restored table):
 *       the drop would fail;
 *   <li>objects the restore drops that the restoring role does not own (an extension installed by a superuser):
 *       "must be owner of …";
 *   <li>more locks in one transaction than the server's lock table holds (thousands of tables or large objects):
 *       "out of shared memory";
 *   <li>for a partial restore, a schema of the restored objects missing from the target.
 * </ul>
 * Each refusal names the objects and the way out; strategy swap needs none of this.
 */
final class InPlaceChecks {
    private static final int SHOWN = 10;
    private static final Set<String> RELATION_TYPES = Set.of("TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE",
            "SEQUENCE", "INDEX");
    private static final Set<String> NAMED_AFTER_TABLE = Set.of("CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT",
            "TRIGGER", "POLICY", "RULE");
    private static final Set<String> ROUTINES = Set.of("FUNCTION", "PROCEDURE", "AGGREGATE");
    private static final Set<String> TYPES = Set.of("TYPE", "DOMAIN");
    /** What a table brings into one transaction's locks besides itself: its TOAST table and TOAST index. */
    private static final int LOCKS_PER_TABLE = 3;

    private final ArchiveToc toc;
    private final PgTarget target;

    InPlaceChecks(ArchiveToc toc, PgTarget target) {
        this.toc = toc;
        this.target = target;
    }

    /**
     * Refuses (RestoreFailed, touching nothing) what cannot work; puts into the check's result the estimated locks
     * and, for a whole-archive restore, the relations the target has that the backup does not (an in-place restore
     * keeps them).
     */
    void run(RestoreSelection.Resolved scope, boolean clean, Long largeObjects, RestoreResult.Builder result) {
        List<Entry> restored = scope.wholeArchive() ? toc.entries()
                : toc.entries().stream().filter(e -> scope.entries().contains(e.dumpId())).toList();
        try (Connection c = PgConnections.open(target); Statement st = c.createStatement()) {
            if (!scope.wholeArchive()) {
                requireSchemas(st, restored);
            }
            c.setReadOnly(true);
            // Nothing is visible by name: pg_describe_object then names every object with its schema.
            st.execute("SET search_path = ''");
            if (clean) {
                String dropped = DROPPED.formatted(restoredValues(restored));
                requireNoDependents(st, dropped);
                requireOwnership(st, dropped);
            }
            long locks = requireLocks(st, restored, largeObjects);
            List<String> kept = scope.wholeArchive() ? kept(st) : List.of();
            result.inPlaceCheck(locks, kept.isEmpty() ? null : List.copyOf(kept.subList(0, Math.min(SHOWN, kept.size()))),
                    kept.isEmpty() ? null : kept.size());
        } catch (SQLException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot check the target \"" + target.database() + "\" on "
                    + target.address() + " before the in-place restore: " + ToolErrors.of(e), e);
        }
    }

    private void requireSchemas(Statement st, List<Entry> restored) throws SQLException {
        Set<String> needed = new HashSet<>();
        Set<String> created = new HashSet<>();
        for (Entry e : restored) {
            if (e.is("SCHEMA")) {
                created.add(e.tag());
            } else if (!e.namespace().isEmpty()) {
                needed.add(e.namespace());
            }
        }
        needed.removeAll(created);
        List<String> missing = new ArrayList<>();
        for (String schema : needed) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = "
                    + RowVerification.literal(schema))) {
                if (!rs.next()) {
                    missing.add(schema);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw refused("schema(s) " + String.join(", ", missing) + " do not exist in \"" + target.database()
                    + "\"; restore them too (scope.schemas / --schema), or use strategy newDatabase");
        }
    }

    /** The archive objects the restore drops and re-creates, as (kind, schema, name, sub-name) rows. */
    private String restoredValues(List<Entry> restored) {
        Map<Integer, Entry> byId = toc.byId();
        List<String> rows = new ArrayList<>();
        for (Entry e : restored) {
            String[] row = row(e, byId);
            if (row != null) {
                rows.add("(" + String.join(", ", java.util.Arrays.stream(row)
                        .map(v -> v == null ? "NULL" : RowVerification.literal(v)).toList()) + ")");
            }
        }
        return rows.isEmpty() ? "SELECT NULL::text, NULL::text, NULL::text, NULL::text WHERE false"
                : "VALUES " + String.join(", ", rows);
    }

    private static String[] row(Entry e, Map<Integer, Entry> byId) {
        if (RELATION_TYPES.contains(e.desc())) {
            return new String[] {"rel", e.namespace(), e.tag(), null};
        }
        if (NAMED_AFTER_TABLE.contains(e.desc())) {
            for (Integer dep : e.dependencies()) {
                Entry table = byId.get(dep);
                if (table != null && RELATION_TYPES.contains(table.desc()) && table.namespace().equals(e.namespace())
                        && e.tag().startsWith(table.tag() + " ")) {
                    String kind = switch (e.desc()) {
                        case "TRIGGER" -> "trg";
                        case "POLICY" -> "pol";
                        case "RULE" -> "rule";
                        default -> "con";
                    };
                    return new String[] {kind, e.namespace(), table.tag(), e.tag().substring(table.tag().length() + 1)};
                }
            }
            return null;
        }
        if (ROUTINES.contains(e.desc())) {
            int paren = e.tag().indexOf('(');
            return paren < 0 ? null : new String[] {"proc", e.namespace(), e.tag().substring(0, paren),
                    e.tag().substring(paren)};
        }
        if (TYPES.contains(e.desc())) {
            return new String[] {"type", e.namespace(), e.tag(), null};
        }
        if (e.is("SCHEMA")) {
            return new String[] {"schema", null, e.tag(), null};
        }
        if (e.is("EXTENSION")) {
            return new String[] {"extension", null, e.tag(), null};
        }
        return null;
    }

    /** The target's objects the restore drops (by pg_depend's classid and objid), and the relation each is of. */
    private static final String DROPPED = """
            WITH r(kind, nsp, name, sub) AS (%s),
            rels AS (SELECT c.oid, c.reltype FROM r JOIN pg_catalog.pg_namespace n ON n.nspname = r.nsp
                       JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = r.name
                      WHERE r.kind = 'rel'),
            dropped(classid, objid) AS (
              SELECT 'pg_catalog.pg_class'::regclass, oid FROM rels
              UNION SELECT 'pg_catalog.pg_type'::regclass, reltype FROM rels WHERE reltype <> 0
              UNION SELECT 'pg_catalog.pg_constraint'::regclass, co.oid FROM r
                      JOIN pg_catalog.pg_namespace n ON n.nspname = r.nsp
                      JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = r.name
                      JOIN pg_catalog.pg_constraint co ON co.conrelid = c.oid AND co.conname = r.sub
                     WHERE r.kind = 'con'
              UNION SELECT 'pg_catalog.pg_trigger'::regclass, t.oid FROM r
                      JOIN pg_catalog.pg_namespace n ON n.nspname = r.nsp
                      JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = r.name
                      JOIN pg_catalog.pg_trigger t ON t.tgrelid = c.oid AND t.tgname = r.sub
                     WHERE r.kind = 'trg'
              UNION SELECT 'pg_catalog.pg_policy'::regclass, p.oid FROM r
                      JOIN pg_catalog.pg_namespace n ON n.nspname = r.nsp
                      JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = r.name
                      JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid AND p.polname = r.sub
                     WHERE r.kind = 'pol'
              UNION SELECT 'pg_catalog.pg_rewrite'::regclass, w.oid FROM r
                      JOIN pg_catalog.pg_namespace n ON n.nspname = r.nsp
                      JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = r.name
                      JOIN pg_catalog.pg_rewrite w ON w.ev_class = c.oid AND w.rulename = r.sub
                     WHERE r.kind = 'rule'
              UNION SELECT 'pg_catalog.pg_proc'::regclass, pg_catalog.to_regprocedure(
                        pg_catalog.quote_ident(r.nsp) || '.' || pg_catalog.quote_ident(r.name) || r.sub)::oid
                      FROM r WHERE r.kind = 'proc'
              UNION SELECT 'pg_catalog.pg_type'::regclass, pg_catalog.to_regtype(
                        pg_catalog.quote_ident(r.nsp) || '.' || pg_catalog.quote_ident(r.name))::oid
                      FROM r WHERE r.kind = 'type'
              UNION SELECT 'pg_catalog.pg_namespace'::regclass, n.oid FROM r
                      JOIN pg_catalog.pg_namespace n ON n.nspname = r.name WHERE r.kind = 'schema'
              UNION SELECT 'pg_catalog.pg_extension'::regclass, x.oid FROM r
                      JOIN pg_catalog.pg_extension x ON x.extname = r.name WHERE r.kind = 'extension')
            """;

    /**
     * Dependents that block the drops: a normal dependency on a dropped object, from an object that is not dropped
     * and does not belong to a dropped relation (a view's rule, a constraint, trigger, default, policy, index or
     * statistics object of a restored table goes with it).
     */
    private void requireNoDependents(Statement st, String dropped) throws SQLException {
        List<String> blocking = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(dropped + """
                SELECT DISTINCT CASE WHEN d.classid = 'pg_catalog.pg_rewrite'::regclass
                         -- a view's (or rule's) query: name the view
                         THEN pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass,
                                (SELECT ev_class FROM pg_catalog.pg_rewrite WHERE oid = d.objid), 0)
                         ELSE pg_catalog.pg_describe_object(d.classid, d.objid, 0) END,
                       pg_catalog.pg_describe_object(d.refclassid, d.refobjid, 0)
                  FROM pg_catalog.pg_depend d
                  JOIN dropped x ON x.classid = d.refclassid AND x.objid = d.refobjid
                 WHERE d.deptype = 'n'
                   AND NOT EXISTS (SELECT 1 FROM dropped y WHERE y.classid = d.classid AND y.objid = d.objid)
                   AND NOT EXISTS (SELECT 1 FROM dropped z WHERE z.classid = 'pg_catalog.pg_class'::regclass
                         AND z.objid = CASE d.classid
                           WHEN 'pg_catalog.pg_rewrite'::regclass THEN
                             (SELECT ev_class FROM pg_catalog.pg_rewrite WHERE oid = d.objid)
                           WHEN 'pg_catalog.pg_constraint'::regclass THEN
                             (SELECT conrelid FROM pg_catalog.pg_constraint WHERE oid = d.objid)
                           WHEN 'pg_catalog.pg_trigger'::regclass THEN
                             (SELECT tgrelid FROM pg_catalog.pg_trigger WHERE oid = d.objid)
                           WHEN 'pg_catalog.pg_attrdef'::regclass THEN
                             (SELECT adrelid FROM pg_catalog.pg_attrdef WHERE oid = d.objid)
                           WHEN 'pg_catalog.pg_policy'::regclass THEN
                             (SELECT polrelid FROM pg_catalog.pg_policy WHERE oid = d.objid)
                           WHEN 'pg_catalog.pg_statistic_ext'::regclass THEN
                             (SELECT stxrelid FROM pg_catalog.pg_statistic_ext WHERE oid = d.objid)
                           WHEN 'pg_catalog.pg_class'::regclass THEN coalesce(
                             (SELECT indrelid FROM pg_catalog.pg_index WHERE indexrelid = d.objid), d.objid)
                         END)
                 ORDER BY 1, 2""")) {
            while (rs.next()) {
                blocking.add(rs.getString(1) + " (depends on " + rs.getString(2) + ")");
            }
        }
        if (!blocking.isEmpty()) {
            throw refused(shown(blocking) + " in \"" + target.database() + "\" would block the restore: it drops and "
                    + "re-creates what they depend on, and they are not part of the restore (made after the backup, "
                    + "or outside the restore's scope). Drop them first, add their tables to the scope, or use "
                    + "strategy swap, which restores beside the live database");
        }
    }

    /** Objects the restore drops must belong to the restoring role (or one it is a member of), unless superuser. */
    private void requireOwnership(Statement st, String dropped) throws SQLException {
        List<String> foreign = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(dropped + """
                , owned AS (
                  SELECT x.classid, x.objid, CASE x.classid
                      WHEN 'pg_catalog.pg_class'::regclass THEN (SELECT relowner FROM pg_catalog.pg_class WHERE oid = x.objid)
                      WHEN 'pg_catalog.pg_proc'::regclass THEN (SELECT proowner FROM pg_catalog.pg_proc WHERE oid = x.objid)
                      WHEN 'pg_catalog.pg_type'::regclass THEN (SELECT typowner FROM pg_catalog.pg_type WHERE oid = x.objid)
                      WHEN 'pg_catalog.pg_namespace'::regclass THEN (SELECT nspowner FROM pg_catalog.pg_namespace WHERE oid = x.objid)
                      WHEN 'pg_catalog.pg_extension'::regclass THEN (SELECT extowner FROM pg_catalog.pg_extension WHERE oid = x.objid)
                    END AS owner
                    FROM dropped x WHERE x.objid IS NOT NULL)
                SELECT pg_catalog.pg_describe_object(o.classid, o.objid, 0), pg_catalog.pg_get_userbyid(o.owner)
                  FROM owned o
                 WHERE o.owner IS NOT NULL
                   AND NOT pg_catalog.pg_has_role(current_user, o.owner, 'MEMBER')
                   AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)
                 ORDER BY 1""")) {
            while (rs.next()) {
                foreign.add(rs.getString(1) + " (owner " + rs.getString(2) + ")");
            }
        }
        if (!foreign.isEmpty()) {
            throw refused("user \"" + target.username() + "\" may not drop and re-create " + shown(foreign) + " in \""
                    + target.database() + "\" (\"must be owner of …\"); restore as their owner or a superuser, or "
                    + "use strategy swap");
        }
    }

    /**
     * One transaction holds a lock on every relation it creates or drops (and their TOAST tables and indexes) and
     * on every large object it writes, in a lock table shared by the whole server of about
     * max_locks_per_transaction × (max_connections + max_prepared_transactions) entries.
     */
    private long requireLocks(Statement st, List<Entry> restored, Long largeObjects) throws SQLException {
        long relations = restored.stream().filter(e -> RELATION_TYPES.contains(e.desc())).count();
        long tables = restored.stream().filter(e -> e.is("TABLE") || e.is("MATERIALIZED VIEW")).count();
        long blobs = restored.stream().filter(e -> e.is("BLOB")).count();
        long objects = largeObjects == null ? blobs : Math.max(blobs, largeObjects);
        // Dropping the old and creating the new relation: each is locked twice over.
        long needed = 2 * (relations + (LOCKS_PER_TABLE - 1) * tables) + objects;
        long perTransaction;
        long slots;
        try (ResultSet rs = st.executeQuery("""
                SELECT current_setting('max_locks_per_transaction')::bigint,
                       current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint""")) {
            rs.next();
            perTransaction = rs.getLong(1);
            slots = rs.getLong(2);
        }
        long capacity = perTransaction * slots;
        if (needed > capacity) {
            long suggested = (needed / slots + 1) * 2;
            throw refused("an in-place restore of this archive takes about " + needed + " locks in one transaction ("
                    + relations + " relations, " + objects + " large objects), but the server's lock table holds "
                    + "about " + capacity + " (max_locks_per_transaction " + perTransaction + " × " + slots
                    + " connection slots): it would fail with \"out of shared memory\". Raise "
                    + "max_locks_per_transaction to at least " + suggested + " (a server restart), or use strategy "
                    + "swap, which does not restore in one transaction");
        }
        return needed;
    }

    /** Relations of the target that the archive does not have: an in-place restore leaves them as they are. */
    private List<String> kept(Statement st) throws SQLException {
        Set<String> archived = new HashSet<>();
        for (Entry e : toc.entries()) {
            if (RELATION_TYPES.contains(e.desc())) {
                archived.add(e.namespace() + "\u0000" + e.tag());
            }
        }
        List<String> kept = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("""
                SELECT n.nspname, c.relname FROM pg_catalog.pg_class c
                  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass
                                     AND d.objid = c.oid AND d.deptype = 'e')
                 ORDER BY 1, 2""")) {
            while (rs.next()) {
                if (!archived.contains(rs.getString(1) + "\u0000" + rs.getString(2))) {
                    kept.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        return kept;
    }

    private static String shown(List<String> items) {
        return items.size() <= SHOWN ? String.join("; ", items)
                : String.join("; ", items.subList(0, SHOWN)) + "; and " + (items.size() - SHOWN) + " more";
    }

    private static AgentFailure refused(String message) {
        return new AgentFailure(Reason.RestoreFailed, message + "; nothing was touched");
    }
}
