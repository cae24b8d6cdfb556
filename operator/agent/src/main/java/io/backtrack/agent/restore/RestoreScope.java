package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgConnections;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What part of a backup to restore, mapped onto pg_restore's selection: {@code --table} → {@code -n <its
 * schema> -t <name>} (pg_restore semantics: the table's definition and rows, not its indexes, constraints or
 * triggers; schemas are created first where missing), {@code --schema} → {@code -n}, {@code --schema-only} →
 * {@code -s}, {@code --data-only} → {@code -a --disable-triggers} (rows only, into existing tables, which an
 * in-place restore empties first). Names are exact: {@code schema.table} or a bare table name in any schema,
 * and must be in the backup's manifest.
 */
public record RestoreScope(List<String> tables, List<String> schemas, boolean schemaOnly, boolean dataOnly) {
    public RestoreScope {
        tables = List.copyOf(tables);
        schemas = List.copyOf(schemas);
    }

    public static RestoreScope whole() {
        return new RestoreScope(List.of(), List.of(), false, false);
    }

    /** True unless the whole backup is restored (definitions and rows of everything). */
    public boolean partial() {
        return !tables.isEmpty() || !schemas.isEmpty() || schemaOnly || dataOnly;
    }

    /** True if only some objects are selected (as opposed to a whole-archive --schema-only/--data-only). */
    public boolean selective() {
        return !tables.isEmpty() || !schemas.isEmpty();
    }

    /** Refuses (InvalidArguments) combinations that cannot work and names that are not in the backup. */
    public void validate(Manifest manifest, RestoreStrategy strategy) {
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
        List<String> missing = new ArrayList<>();
        for (String schema : schemas) {
            if (manifest.tables().stream().noneMatch(t -> t.schema().equals(schema))) {
                missing.add("schema " + schema);
            }
        }
        for (String table : tables) {
            if (inSchemas(manifest).stream().noneMatch(t -> ref(t).matches(table))) {
                missing.add("table " + table);
            }
        }
        if (!missing.isEmpty()) {
            throw new AgentFailure(Reason.InvalidArguments, "not in the backup " + manifest.archiveKey() + ": "
                    + String.join(", ", missing) + " (the backup holds " + manifest.tables().size() + " table(s)"
                    + (manifest.tables().isEmpty() ? "" : ", e.g. " + ref(manifest.tables().get(0)).display())
                    + "; names are exact: schema.table or a table name)");
        }
    }

    /** The manifest's tables this scope restores. */
    public List<TableRows> tablesIn(Manifest manifest) {
        List<TableRows> candidates = inSchemas(manifest);
        if (tables.isEmpty()) {
            return candidates;
        }
        return candidates.stream().filter(t -> tables.stream().anyMatch(ref(t)::matches)).toList();
    }

    /** pg_restore selection switches. */
    public List<String> pgRestoreSwitches(Manifest manifest) {
        List<String> switches = new ArrayList<>();
        if (!tables.isEmpty()) {
            List<TableRows> selected = tablesIn(manifest);
            for (String schema : new LinkedHashSet<>(selected.stream().map(TableRows::schema).toList())) {
                switches.add("--schema=" + schema);
            }
            for (String name : new LinkedHashSet<>(selected.stream().map(TableRows::name).toList())) {
                switches.add("--table=" + name);
            }
        } else {
            for (String schema : schemas) {
                switches.add("--schema=" + schema);
            }
        }
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

    /**
     * Schemas to create before a selective restore: pg_restore's {@code -t}/{@code -n} select objects inside
     * schemas but never the CREATE SCHEMA itself.
     */
    public Set<String> schemasToEnsure(Manifest manifest) {
        Set<String> result = new LinkedHashSet<>();
        if (!selective() || dataOnly) {
            return result;
        }
        result.addAll(schemas);
        tablesIn(manifest).forEach(t -> result.add(t.schema()));
        return result;
    }

    /** SQL run before the archive's statements, in the same transaction for an in-place restore. */
    public List<String> preludeSql(Manifest manifest, RestoreStrategy strategy) {
        List<String> sql = new ArrayList<>();
        for (String schema : schemasToEnsure(manifest)) {
            sql.add("CREATE SCHEMA IF NOT EXISTS " + PgConnections.quoteIdent(schema));
        }
        if (dataOnly && strategy == RestoreStrategy.IN_PLACE) {
            List<String> quoted = tablesIn(manifest).stream().map(t -> ref(t).quoted()).toList();
            if (!quoted.isEmpty()) {
                // Replace the rows rather than add to them; fails (and rolls back) if a table outside the scope
                // references one of these.
                sql.add("TRUNCATE TABLE " + String.join(", ", quoted));
            }
        }
        return sql;
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

    private List<TableRows> inSchemas(Manifest manifest) {
        return schemas.isEmpty() ? manifest.tables()
                : manifest.tables().stream().filter(t -> schemas.contains(t.schema())).toList();
    }

    private static TableRef ref(TableRows t) {
        return new TableRef(t.schema(), t.name());
    }
}
