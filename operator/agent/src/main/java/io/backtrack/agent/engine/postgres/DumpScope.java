package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.manifest.ManifestScope;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link ManifestScope} resolved against the catalog: the tables whose rows the manifest counts, and the
 * pg_dump selection switches that dump exactly those. Names are exact (no patterns): {@code schema.table},
 * or a bare {@code table} meaning that table in every schema. {@code --table} selects only the named tables
 * (narrowed by {@code --schema} if given); otherwise {@code --schema} selects whole schemas; otherwise the
 * whole database. {@code --exclude-table} then removes tables. Regular tables are counted (a partitioned
 * table's rows are counted in its partitions); a dump by schema or of the whole database also holds the
 * materialized views and foreign tables in it ({@code others}), and a whole-database dump its large objects.
 */
public record DumpScope(List<TableRef> countedTables, List<Relation> others, boolean largeObjects,
                        List<String> pgDumpSwitches) {

    public static DumpScope resolve(ManifestScope scope, List<Relation> relations, Set<String> existingSchemas,
                                    String database) {
        List<TableRef> allTables = relations.stream().filter(r -> r.kind() == Relation.Kind.TABLE)
                .map(Relation::ref).toList();
        for (String schema : scope.schemas()) {
            if (!existingSchemas.contains(schema)) {
                throw new AgentFailure(Reason.InvalidArguments, "schema \"" + schema + "\" does not exist in database \""
                        + database + "\"; check --schema (names are exact and case-sensitive)");
            }
        }
        List<TableRef> inSchemas = scope.schemas().isEmpty() ? allTables
                : allTables.stream().filter(t -> scope.schemas().contains(t.schema())).toList();
        List<TableRef> excluded = allTables.stream()
                .filter(t -> scope.excludeTables().stream().anyMatch(t::matches)).toList();

        List<String> switches = new ArrayList<>();
        Set<TableRef> selected = new LinkedHashSet<>();
        if (!scope.tables().isEmpty()) {
            for (String given : scope.tables()) {
                List<TableRef> matches = inSchemas.stream().filter(t -> t.matches(given)).toList();
                if (matches.isEmpty()) {
                    throw new AgentFailure(Reason.InvalidArguments, "no table matches --table " + given
                            + " in database \"" + database + "\"" + (scope.schemas().isEmpty() ? ""
                            : " (schemas " + scope.schemas() + ")") + "; use schema.table or an exact table name");
                }
                selected.addAll(matches);
            }
            selected.removeAll(excluded);
            if (selected.isEmpty()) {
                throw new AgentFailure(Reason.InvalidArguments, "--exclude-table removes every table selected by --table");
            }
            selected.forEach(t -> {
                switches.add("-t");
                switches.add(t.quoted());
            });
        } else {
            selected.addAll(inSchemas);
            selected.removeAll(excluded);
            for (String schema : scope.schemas()) {
                switches.add("-n");
                switches.add(PgConnections.quoteIdent(schema));
            }
            for (TableRef t : excluded) {
                switches.add("-T");
                switches.add(t.quoted());
            }
        }
        if (scope.schemaOnly()) {
            switches.add("--schema-only");
        }
        List<Relation> others = !scope.tables().isEmpty() ? List.of() : relations.stream()
                .filter(r -> r.kind() != Relation.Kind.TABLE)
                .filter(r -> scope.schemas().isEmpty() || scope.schemas().contains(r.ref().schema()))
                // A schema-only archive creates materialized views without data.
                .map(r -> scope.schemaOnly() ? new Relation(r.ref(), r.kind(), false) : r)
                .toList();
        boolean largeObjects = scope.tables().isEmpty() && scope.schemas().isEmpty() && !scope.schemaOnly();
        return new DumpScope(List.copyOf(selected), others, largeObjects, List.copyOf(switches));
    }

    /** What the manifest counts: every table, and each populated materialized view. */
    public List<Relation> counted() {
        List<Relation> counted = new ArrayList<>(countedTables.stream().map(Relation::table).toList());
        others.stream().filter(Relation::countable).forEach(counted::add);
        return counted;
    }

    /** What a restore cannot verify: foreign tables, unpopulated materialized views. */
    public List<Relation> uncounted() {
        return others.stream().filter(r -> !r.countable()).toList();
    }
}
