package io.backtrack.agent.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.backtrack.contract.layout.BackupFolder;

import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json}: the flat contract of DESIGN.md §7, written last into a backup folder.
 * A folder without one is not a backup. {@code largeObjects} is the number of large objects the archive holds
 * (null when it holds none by scope, and in manifests from before it was counted); {@code unverified} lists what
 * a restore cannot verify (foreign tables, unpopulated materialized views); {@code roles} the roles file beside the
 * archive (null in manifests from before roles were recorded).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"formatVersion", "backtrackVersion", "engine", "serverVersion", "toolVersion", "database",
        "namespace", "backup", "schedule", "description", "scope", "archiveKey", "format", "compression",
        "sizeBytes", "sha256", "tables", "rows", "largeObjects", "unverified", "roles", "startedAt", "completedAt"})
public record Manifest(
        int formatVersion,
        String backtrackVersion,
        String engine,
        String serverVersion,
        String toolVersion,
        String database,
        String namespace,
        String backup,
        String schedule,
        String description,
        ManifestScope scope,
        String archiveKey,
        String format,
        CompressionSpec compression,
        long sizeBytes,
        String sha256,
        List<TableRows> tables,
        long rows,
        Long largeObjects,
        List<UnverifiedObject> unverified,
        ManifestRoles roles,
        Instant startedAt,
        Instant completedAt) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = BackupFolder.MANIFEST;

    public Manifest {
        tables = tables == null ? List.of() : List.copyOf(tables);
        unverified = unverified == null ? List.of() : List.copyOf(unverified);
    }

    /** True unless the backup holds only part of the database (tables, schemas or exclusions chosen). */
    public boolean wholeDatabase() {
        return scope == null || (scope.tables().isEmpty() && scope.schemas().isEmpty()
                && scope.excludeTables().isEmpty());
    }

    /** True if the archive holds definitions only. */
    public boolean schemaOnly() {
        return scope != null && scope.schemaOnly();
    }
}
