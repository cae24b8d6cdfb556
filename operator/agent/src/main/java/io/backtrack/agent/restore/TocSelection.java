package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc.Entry;
import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The archive entries a partial restore applies, chosen from the archive's table of contents (never with
 * pg_restore's {@code -t}, which brings back a table's definition and rows but none of its indexes, constraints,
 * defaults, triggers, comments or grants).
 *
 * <p>A named table comes back with everything attached to it: its rows, the sequences it owns (with their
 * values), its defaults, constraints (its own foreign keys included), indexes, triggers, rules, policies,
 * statistics, comments, grants and, for a partitioned table, its partitions. A named schema comes back with
 * every object in it. Objects of other tables are never selected: a foreign key of another table that points
 * at a named one is that table's, and is left alone (the check refuses the restore when it would break).
 *
 * <p>Into a fresh database ({@code forFreshDatabase}) the selection also takes what those objects need to
 * exist first (schemas, types, functions, extensions, ...), and refuses when that would be another table.
 */
final class TocSelection {
    /** Types attached to one table and named "table name" in the TOC. */
    private static final Set<String> NAMED_AFTER_TABLE = Set.of("CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT",
            "TRIGGER", "RULE", "POLICY", "DEFAULT", "ROW SECURITY");
    /** Types that live and die with the one relation they depend on. */
    private static final Set<String> OF_ONE_RELATION = Set.of("INDEX", "STATISTICS", "STATISTICS DATA",
            "TABLE DATA", "MATERIALIZED VIEW DATA", "SEQUENCE OWNED BY", "SEQUENCE SET", "PUBLICATION TABLE");
    /** Types whose object is the first dependency they name. */
    private static final Set<String> DECORATIONS = Set.of("COMMENT", "ACL", "SECURITY LABEL");
    private static final Set<String> RELATIONS = Set.of("TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE");

    private final ArchiveToc toc;
    private final Map<Integer, Entry> byId;

    TocSelection(ArchiveToc toc) {
        this.toc = toc;
        this.byId = toc.byId();
    }

    /** The ids to restore, in archive order, for tables and whole schemas (either may be empty, not both). */
    List<Integer> select(List<TableRef> tables, List<String> schemas, boolean forFreshDatabase) {
        Set<Integer> chosen = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (TableRef table : tables) {
            Entry entry = toc.find("TABLE", table.schema(), table.name())
                    .or(() -> toc.find("MATERIALIZED VIEW", table.schema(), table.name()))
                    .orElse(null);
            if (entry == null) {
                missing.add(table.display());
            } else {
                chosen.add(entry.dumpId());
            }
        }
        for (String schema : schemas) {
            int before = chosen.size();
            for (Entry e : toc.entries()) {
                if (e.namespace().equals(schema) || (e.is("SCHEMA") && e.namespace().isEmpty() && e.tag().equals(schema))) {
                    chosen.add(e.dumpId());
                }
            }
            if (chosen.size() == before) {
                missing.add("schema " + schema);
            }
        }
        if (!missing.isEmpty()) {
            throw new AgentFailure(Reason.InvalidArguments, "the archive's table of contents has no "
                    + String.join(", ", missing) + " although the manifest lists it; the archive and its manifest "
                    + "disagree");
        }
        addPartitions(chosen);
        addAttached(chosen);
        if (forFreshDatabase) {
            addPrerequisites(chosen);
        }
        List<Integer> ordered = new ArrayList<>();
        for (Entry e : toc.entries()) {
            if (chosen.contains(e.dumpId())) {
                ordered.add(e.dumpId());
            }
        }
        return ordered;
    }

    /** A pg_restore {@code -L} list of the given ids (pg_restore reads the leading number of each line). */
    String listFile(List<Integer> ids) {
        StringBuilder list = new StringBuilder("; Backtrack: the entries of a partial restore\n");
        ids.forEach(id -> list.append(byId.get(id).listLine().replace('\n', ' ')).append('\n'));
        return list.toString();
    }

    /** The archive's relations (schema, name) among the given ids. */
    Set<TableRef> relationsIn(List<Integer> ids) {
        Set<TableRef> relations = new LinkedHashSet<>();
        for (Integer id : ids) {
            Entry e = byId.get(id);
            if (RELATIONS.contains(e.desc()) || e.is("SEQUENCE")) {
                relations.add(new TableRef(e.namespace(), e.tag()));
            }
        }
        return relations;
    }

    private void addPartitions(Set<Integer> chosen) {
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Entry e : toc.entries()) {
                // TABLE ATTACH depends on the parent and the partition.
                if (e.is("TABLE ATTACH") && e.dependencies().stream().anyMatch(chosen::contains)) {
                    for (Integer dep : e.dependencies()) {
                        Entry child = byId.get(dep);
                        if (child != null && child.is("TABLE") && chosen.add(dep)) {
                            grew = true;
                        }
                    }
                }
            }
        }
    }

    private void addAttached(Set<Integer> chosen) {
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Entry e : toc.entries()) {
                if (!chosen.contains(e.dumpId()) && attachedTo(e, chosen)) {
                    chosen.add(e.dumpId());
                    grew = true;
                }
            }
        }
    }

    private boolean attachedTo(Entry e, Set<Integer> chosen) {
        String desc = e.desc();
        if (NAMED_AFTER_TABLE.contains(desc)) {
            Entry owner = ownRelation(e);
            return owner != null && chosen.contains(owner.dumpId());
        }
        if (OF_ONE_RELATION.contains(desc)) {
            return e.dependencies().stream().map(byId::get)
                    .filter(d -> d != null && (RELATIONS.contains(d.desc()) || d.is("SEQUENCE")))
                    .anyMatch(d -> chosen.contains(d.dumpId()));
        }
        if (DECORATIONS.contains(desc)) {
            return e.dependencies().stream().map(byId::get)
                    .filter(d -> d != null && !d.is("ACL"))
                    .findFirst().map(d -> chosen.contains(d.dumpId())).orElse(false);
        }
        if (desc.equals("SEQUENCE")) {
            // Owned by a column (SERIAL, or an identity column): the sequence depends on that table.
            return e.dependencies().stream().map(byId::get)
                    .anyMatch(d -> d != null && d.is("TABLE") && chosen.contains(d.dumpId()));
        }
        if (desc.equals("INDEX ATTACH") || desc.equals("TABLE ATTACH")) {
            // The partition's side (the later dependency) decides: attaching it needs the parent to exist.
            return !e.dependencies().isEmpty() && chosen.contains(e.dependencies().get(e.dependencies().size() - 1));
        }
        return false;
    }

    /** The relation a constraint, trigger, rule, policy or default belongs to: its tag is "relation name". */
    private Entry ownRelation(Entry e) {
        Entry best = null;
        for (Integer dep : e.dependencies()) {
            Entry d = byId.get(dep);
            if (d != null && RELATIONS.contains(d.desc()) && d.namespace().equals(e.namespace())
                    && (e.tag().equals(d.tag()) || e.tag().startsWith(d.tag() + " "))
                    && (best == null || d.tag().length() > best.tag().length())) {
                best = d;
            }
        }
        return best;
    }

    /**
     * Into a fresh database: whatever the chosen entries depend on (schemas, types, functions, extensions,
     * collations, sequences, ...) comes too. A dependency on a relation that was not named cannot be met
     * without restoring that relation: refuse, naming it.
     */
    private void addPrerequisites(Set<Integer> chosen) {
        Set<String> needed = new TreeSet<>();
        List<Integer> queue = new ArrayList<>(chosen);
        while (!queue.isEmpty()) {
            Entry e = byId.get(queue.remove(queue.size() - 1));
            for (Integer dep : e.dependencies()) {
                Entry d = byId.get(dep);
                if (d == null || chosen.contains(dep)) {
                    continue;
                }
                if (RELATIONS.contains(d.desc()) || d.is("CONSTRAINT") || d.is("INDEX")) {
                    Entry owner = d.is("CONSTRAINT") ? ownRelation(d) : d;
                    String name = owner == null ? d.tag() : owner.namespace() + "." + owner.tag();
                    needed.add(name + " (needed by " + e.desc().toLowerCase(java.util.Locale.ROOT) + " "
                            + display(e) + ")");
                    continue;
                }
                chosen.add(dep);
                queue.add(dep);
            }
        }
        if (!needed.isEmpty()) {
            throw new AgentFailure(Reason.InvalidArguments, "the restore's scope needs relations it does not "
                    + "include: " + String.join("; ", needed) + ". Add them to the scope (scope.tables or "
                    + "--table), or restore the whole backup");
        }
    }

    private static String display(Entry e) {
        return e.namespace().isEmpty() ? e.tag() : e.namespace() + "." + e.tag();
    }
}
