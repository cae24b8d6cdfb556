package io.backtrack.api.restore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Which part of the backup to restore. Empty means all of it. */
public record RestoreScope(
        @JsonPropertyDescription("Only these tables (schema.table or table); each must be in the backup.")
        List<String> tables,
        @JsonPropertyDescription("Only these schemas.")
        List<String> schemas,
        @JsonPropertyDescription("Restore the schema (DDL) without rows.")
        Boolean schemaOnly,
        @JsonPropertyDescription("Restore rows only, into tables that already exist.")
        Boolean dataOnly) {

    public List<String> tablesOrEmpty() {
        return tables == null ? List.of() : tables;
    }

    public List<String> schemasOrEmpty() {
        return schemas == null ? List.of() : schemas;
    }

    public boolean isSchemaOnly() {
        return Boolean.TRUE.equals(schemaOnly);
    }

    public boolean isDataOnly() {
        return Boolean.TRUE.equals(dataOnly);
    }
}
