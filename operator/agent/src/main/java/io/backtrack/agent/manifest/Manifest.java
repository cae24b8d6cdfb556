package io.backtrack.agent.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.wire.ArchiveCompression;

import java.time.Instant;
import java.util.List;

/**
 * {@code manifest.json}: the flat contract of DESIGN.md §7, written last into a backup folder.
 * A folder without one is not a backup. {@code largeObjects} is the number of large objects the archive holds
 * (null when it holds none by scope, and in manifests from before it was counted); {@code unverified} lists what
 * a restore cannot verify (foreign tables, unpopulated materialized views); {@code roles} the roles file beside the
 * archive (null in manifests from before roles were recorded). An archive encrypted client-side records
 * {@code encryption: age} and its {@code recipients} (public keys: the manifest stays readable without a key, and
 * holds no data); its {@code sha256} and {@code sizeBytes} are of the stored, encrypted bytes, so checking them
 * needs no key either.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"formatVersion", "backtrackVersion", "engine", "serverVersion", "toolVersion", "database",
        "namespace", "backup", "schedule", "description", "scope", "archiveKey", "format", "compression",
        "encryption", "recipients", "sizeBytes", "sha256", "tables", "rows", "largeObjects", "unverified", "roles", "startedAt", "completedAt"})
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
        Instant completedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String encryption,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> recipients) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = BackupFolder.MANIFEST;

    public Manifest {
        tables = tables == null ? List.of() : List.copyOf(tables);
        unverified = unverified == null ? List.of() : List.copyOf(unverified);
        recipients = recipients == null ? null : List.copyOf(recipients);
    }

    /** An unencrypted archive's manifest. */
    public Manifest(int formatVersion, String backtrackVersion, String engine, String serverVersion,
                    String toolVersion, String database, String namespace, String backup, String schedule,
                    String description, ManifestScope scope, String archiveKey, String format,
                    CompressionSpec compression, long sizeBytes, String sha256, List<TableRows> tables, long rows,
                    Long largeObjects, List<UnverifiedObject> unverified, ManifestRoles roles, Instant startedAt,
                    Instant completedAt) {
        this(formatVersion, backtrackVersion, engine, serverVersion, toolVersion, database, namespace, backup,
                schedule, description, scope, archiveKey, format, compression, sizeBytes, sha256, tables, rows,
                largeObjects, unverified, roles, startedAt, completedAt, null, null);
    }

    /**
     * True if the archive is encrypted: the manifest says so, or the archive's name does ({@code .age}), so a
     * manifest that lost the field still never hands ciphertext to a decompressor as if it were the dump.
     */
    public boolean encrypted() {
        return encryption != null || (archiveKey != null && ArchiveCompression.isEncrypted(archiveKey));
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
