package io.backtrack.agent.cli;

import io.backtrack.agent.AgentMain;
import io.backtrack.agent.backup.BackupRequest;
import io.backtrack.agent.backup.BackupRunner;
import io.backtrack.agent.manifest.BackupScope;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.stream.Compression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Dump a PostgreSQL database into FOLDER/archive-<UTC time>-<random>.pgdump.zst and "
                + "FOLDER/manifest.json (which names the archive)")
public final class BackupCommand extends ResultCommand {
    @ParentCommand
    AgentMain root;

    @Mixin
    DatabaseOptions database;

    @Mixin
    StorageOptions storage;

    @Mixin
    PgBinRootOption pgBinRoot;

    @Mixin
    FolderOption folderOption;

    @Option(names = "--compression", defaultValue = "zstd", paramLabel = "ALGO",
            description = "zstd (default), gzip or none")
    String compression;

    @Option(names = "--level", paramLabel = "N", description = "Compression level: zstd 1..22 (default 1), gzip 1..9 (default 6)")
    Integer level;

    @Option(names = "--table", paramLabel = "T", description = "Only this table: schema.table, or a bare name in any schema (repeatable)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--exclude-table", paramLabel = "T", description = "Leave this table out (repeatable)")
    List<String> excludeTables = new ArrayList<>();

    @Option(names = "--schema", paramLabel = "S", description = "Only this schema (repeatable)")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--schema-only", description = "Definitions only, no rows")
    boolean schemaOnly;

    @Option(names = "--description", paramLabel = "TEXT", description = "Why this backup was taken (kept in the manifest)")
    String description;

    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of the Backup resource (manifest metadata)")
    String namespace;

    @Option(names = "--backup-name", paramLabel = "NAME", description = "Name of the Backup resource (manifest metadata)")
    String backupName;

    @Option(names = "--schedule", paramLabel = "NAME", description = "Name of the BackupSchedule that made it, if any")
    String schedule;

    @Override
    Map<String, Object> execute() {
        Compression algo;
        Integer effectiveLevel;
        BackupFolder folder;
        try {
            algo = Compression.parse(compression);
            effectiveLevel = algo.effectiveLevel(level);
            folder = folderOption.folder();
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        BackupRequest request = new BackupRequest(database.toTarget(), storage.toLocation(), folder, algo,
                effectiveLevel, new BackupScope(tables, excludeTables, schemas, schemaOnly), description, namespace,
                backupName, schedule, pgBinRoot.resolve(root.pgBinRoot()));
        return new BackupRunner(request).run();
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.DumpFailed;
    }
}
