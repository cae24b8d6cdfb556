package io.backtrack.agent.manifest;

import java.util.List;

/** What part of the database a backup holds, as the manifest records it (names as given on the command line). */
public record ManifestScope(List<String> tables, List<String> excludeTables, List<String> schemas, boolean schemaOnly) {
    public ManifestScope {
        tables = List.copyOf(tables);
        excludeTables = List.copyOf(excludeTables);
        schemas = List.copyOf(schemas);
    }

    public static ManifestScope wholeDatabase() {
        return new ManifestScope(List.of(), List.of(), List.of(), false);
    }
}
