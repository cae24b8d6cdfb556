package io.backtrack.agent.manifest;

import java.util.List;

/** What part of the database a backup holds, as requested (names as given on the command line). */
public record BackupScope(List<String> tables, List<String> excludeTables, List<String> schemas, boolean schemaOnly) {
    public BackupScope {
        tables = List.copyOf(tables);
        excludeTables = List.copyOf(excludeTables);
        schemas = List.copyOf(schemas);
    }

    public static BackupScope wholeDatabase() {
        return new BackupScope(List.of(), List.of(), List.of(), false);
    }
}
