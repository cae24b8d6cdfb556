package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.RestoreStrategy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What part of a backup to restore: named tables and whole schemas (their union), definitions only
 * ({@code --schema-only}) or rows only ({@code --data-only}, into existing tables, which an in-place restore
 * empties first). Names are exact: {@code schema.table}, or a bare table name that only one schema has.
 *
 * <p>{@link #resolve} checks the request against the backup before anything is touched: names must be in it, and
 * a restore that replaces a whole database (swap, inPlace) needs a whole-database archive that holds rows.
 */
public record RestoreSelection(List<String> tables, List<String> schemas, boolean schemaOnly, boolean dataOnly) {
    public RestoreSelection {
        tables = List.copyOf(tables);
        schemas = List.copyOf(schemas);
    }

    public static RestoreSelection whole() {
        return new RestoreSelection(List.of(), List.of(), false, false);
    }

    /** True unless the whole backup is restored (definitions and rows of everything). */
    public boolean partial() {
        return !tables.isEmpty() || !schemas.isEmpty() || schemaOnly || dataOnly;
    }

    /** True if only some objects are selected (as opposed to a whole-archive --schema-only/--data-only). */
    public boolean selective() {
        return !tables.isEmpty() || !schemas.isEmpty();
    }

    /**
     * The scope resolved against one archive: the TOC entries to apply (null: all of them) and the manifest's
     * row counts those entries must reproduce.
     */
    public record Resolved(List<Integer> entries, String listFile, List<TableRows> expected,
                           Set<TableRef> relations, List<TableRef> named) {
        public boolean wholeArchive() {
            return entries == null;
        }
    }

    /** Refuses (InvalidArguments) what cannot work, before anything is touched; otherwise the selection. */
    public Resolved resolve(Manifest manifest, ArchiveToc toc, RestoreStrategy strategy, String backup) {
        if (schemaOnly && dataOnly) {
            throw new AgentFailure(Reason.InvalidArguments, "--schema-only and --data-only exclude each other");
        }
        if (strategy == RestoreStrategy.SWAP && partial()) {
            throw new AgentFailure(Reason.InvalidArguments, "strategy swap replaces the whole live database with the "
                    + "restored one, so it needs a full-scope restore; with " + describe() + " it would replace the "
                    + "database with a part of it. Use strategy inPlace (or newDatabase) for a partial restore");
        }
        if (strategy == RestoreStrategy.NEW_DATABASE && dataOnly) {
            throw new AgentFailure(Reason.InvalidArguments, "--data-only restores rows into existing tables, but "
                    + "strategy newDatabase starts from an empty database; use strategy inPlace");
        }
        requireArchiveFits(manifest, strategy, backup);
        List<TableRef> named = namedTables(toc, manifest);
        List<String> missingSchemas = schemas.stream()
                .filter(s -> toc.entries().stream().noneMatch(e -> e.namespace().equals(s)
                        || (e.is("SCHEMA") && e.tag().equals(s))))
                .map(s -> "schema " + s).toList();
        if (!missingSchemas.isEmpty()) {
            throw new AgentFailure(Reason.InvalidArguments, "not in backup " + backup + ": "
                    + String.join(", ", missingSchemas));
        }
        if (!selective()) {
            return new Resolved(null, null, manifest.tables(), null, List.of());
        }
        TocSelection selection = new TocSelection(toc);
        List<Integer> entries = selection.select(named, schemas, strategy == RestoreStrategy.NEW_DATABASE);
        Set<TableRef> relations = selection.relationsIn(entries);
        List<TableRows> expected = manifest.tables().stream()
                .filter(t -> relations.contains(new TableRef(t.schema(), t.name()))).toList();
        return new Resolved(entries, selection.listFile(entries), expected, relations, named);
    }

    /**
     * A restore that replaces a whole database must not do it with a part of one: a partial archive would drop
     * everything else, a schema-only one would empty every table.
     */
    private void requireArchiveFits(Manifest manifest, RestoreStrategy strategy, String backup) {
        if (strategy == RestoreStrategy.NEW_DATABASE) {
            return;
        }
        if (!selective() && !manifest.wholeDatabase()) {
            var scope = manifest.scope();
            String holds;
            String fix;
            if (!scope.tables().isEmpty()) {
                holds = "only the table(s) " + String.join(", ", scope.tables());
                fix = "scope.tables: [" + String.join(", ", scope.tables()) + "] (--table)";
            } else if (!scope.schemas().isEmpty()) {
                holds = "only the schema(s) " + String.join(", ", scope.schemas());
                fix = "scope.schemas: [" + String.join(", ", scope.schemas()) + "] (--schema)";
            } else {
                holds = "the database without " + String.join(", ", scope.excludeTables());
                fix = "the tables it holds in scope.tables (--table)";
            }
            throw new AgentFailure(Reason.InvalidArguments, "backup " + backup + " holds " + holds + "; restoring it "
                    + "as a whole database with strategy " + strategy + " would remove everything else. Restore it "
                    + "with " + fix + ", or use strategy newDatabase");
        }
        if (manifest.schemaOnly() && !schemaOnly) {
            throw new AgentFailure(Reason.InvalidArguments, "backup " + backup + " holds definitions only (a "
                    + "schema-only backup); restoring it with strategy " + strategy + " would "
                    + (dataOnly ? "restore no rows at all" : "empty every table it re-creates")
                    + ". Set scope.schemaOnly (--schema-only) to do that on purpose, or use strategy newDatabase");
        }
    }

    /** Each named table as the archive has it: schema.table exactly, or a table name only one schema has. */
    private List<TableRef> namedTables(ArchiveToc toc, Manifest manifest) {
        Set<TableRef> resolved = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        List<TableRef> candidates = toc.entries().stream()
                .filter(e -> e.is("TABLE") || e.is("MATERIALIZED VIEW"))
                .map(e -> new TableRef(e.namespace(), e.tag())).toList();
        for (String given : tables) {
            List<TableRef> exact = candidates.stream().filter(t -> t.display().equals(given)).toList();
            List<TableRef> matches = exact.isEmpty()
                    ? candidates.stream().filter(t -> t.name().equals(given)).toList() : exact;
            if (matches.isEmpty()) {
                problems.add("table " + given + " is not in the backup");
            } else if (matches.size() > 1) {
                problems.add("table name " + given + " is in several schemas (" + String.join(", ",
                        matches.stream().map(TableRef::display).toList()) + "): name one as schema.table");
            } else {
                resolved.add(matches.get(0));
            }
        }
        if (!problems.isEmpty()) {
            throw new AgentFailure(Reason.InvalidArguments, String.join("; ", problems) + " (backup "
                    + manifest.archiveKey() + " holds " + manifest.tables().size() + " table(s)"
                    + (manifest.tables().isEmpty() ? "" : ", e.g. " + manifest.tables().get(0).schema() + "."
                    + manifest.tables().get(0).name()) + ")");
        }
        return List.copyOf(resolved);
    }

    /** Data-only into existing tables replaces their rows: they are emptied first, in the same transaction. */
    public List<String> truncateSql(Resolved resolved) {
        if (!dataOnly) {
            return List.of();
        }
        List<String> quoted = resolved.expected().stream().filter(t -> !t.materializedView())
                .map(t -> new TableRef(t.schema(), t.name()).quoted()).toList();
        // ONLY: a partitioned or inheritance parent's other children are not part of the restore.
        return quoted.isEmpty() ? List.of() : List.of("TRUNCATE TABLE ONLY " + String.join(", ONLY ", quoted));
    }

    /** pg_restore switches besides the selection list. */
    public List<String> pgRestoreSwitches() {
        List<String> switches = new ArrayList<>();
        if (schemaOnly) {
            switches.add("--schema-only");
        }
        if (dataOnly) {
            // Data comes in archive order, not foreign-key order: check constraints only once all rows are in.
            switches.add("--data-only");
            switches.add("--disable-triggers");
        }
        return switches;
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        tables.forEach(t -> parts.add("--table " + t));
        schemas.forEach(s -> parts.add("--schema " + s));
        if (schemaOnly) {
            parts.add("--schema-only");
        }
        if (dataOnly) {
            parts.add("--data-only");
        }
        return parts.isEmpty() ? "the whole backup" : String.join(" ", parts);
    }
}
