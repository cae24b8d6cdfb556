package io.backtrack.api.backup;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Which part of the database a backup holds. Empty means the whole database. */
public record BackupScope(
        @JsonPropertyDescription("Only these tables (pg_dump --table patterns, e.g. public.orders).")
        List<String> tables,
        @JsonPropertyDescription("Leave these tables out (pg_dump --exclude-table patterns).")
        List<String> excludeTables,
        @JsonPropertyDescription("Only these schemas (pg_dump --schema).")
        List<String> schemas,
        @JsonPropertyDescription("Back up the schema (DDL) without any rows.")
        Boolean schemaOnly) {

    public List<String> tablesOrEmpty() {
        return tables == null ? List.of() : tables;
    }

    public List<String> excludeTablesOrEmpty() {
        return excludeTables == null ? List.of() : excludeTables;
    }

    public List<String> schemasOrEmpty() {
        return schemas == null ? List.of() : schemas;
    }

    public boolean isSchemaOnly() {
        return Boolean.TRUE.equals(schemaOnly);
    }
}
