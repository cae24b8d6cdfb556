package io.backtrack.agent.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json}: the flat contract of DESIGN.md §7, written last into a backup folder.
 * A folder without one is not a backup.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"formatVersion", "backtrackVersion", "engine", "serverVersion", "toolVersion", "database",
        "namespace", "backup", "schedule", "description", "scope", "archiveKey", "format", "compression",
        "sizeBytes", "sha256", "tables", "rows", "startedAt", "completedAt"})
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
        BackupScope scope,
        String archiveKey,
        String format,
        CompressionSpec compression,
        long sizeBytes,
        String sha256,
        List<TableRows> tables,
        long rows,
        Instant startedAt,
        Instant completedAt) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    public Manifest {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }
}
