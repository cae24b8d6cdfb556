package io.backtrack.agent.cli;

import io.backtrack.agent.backup.BackupRequest;
import io.backtrack.agent.backup.BackupRunner;
import io.backtrack.agent.crypto.AgeRecipients;
import io.backtrack.agent.manifest.ManifestScope;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.BackupResult;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.ArchiveCompression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;

@Command(name = AgentCommands.BACKUP, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
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

    @Option(names = AgentFlags.COMPRESSION, defaultValue = ArchiveCompression.DEFAULT_VALUE, paramLabel = "ALGO",
            description = "zstd (default), gzip or none")
    String compression;

    @Option(names = AgentFlags.LEVEL, paramLabel = "N", description = "Compression level: zstd "
            + ArchiveCompression.ZSTD_MIN_LEVEL + "-" + ArchiveCompression.ZSTD_MAX_LEVEL + " (default "
            + ArchiveCompression.ZSTD_DEFAULT_LEVEL + "), gzip " + ArchiveCompression.GZIP_MIN_LEVEL + "-"
            + ArchiveCompression.GZIP_MAX_LEVEL + " (default " + ArchiveCompression.GZIP_DEFAULT_LEVEL + ")")
    Integer level;

    @Option(names = AgentFlags.TABLE, paramLabel = "T",
            description = "Only this table: schema.table, or a bare name in any schema (repeatable)")
    List<String> tables = new ArrayList<>();

    @Option(names = AgentFlags.EXCLUDE_TABLE, paramLabel = "T", description = "Leave this table out (repeatable)")
    List<String> excludeTables = new ArrayList<>();

    @Option(names = AgentFlags.SCHEMA, paramLabel = "S", description = "Only this schema (repeatable)")
    List<String> schemas = new ArrayList<>();

    @Option(names = AgentFlags.SCHEMA_ONLY, description = "Definitions only, no rows")
    boolean schemaOnly;

    @Option(names = AgentFlags.DESCRIPTION, paramLabel = "TEXT",
            description = "Why this backup was taken (kept in the manifest)")
    String description;

    @Option(names = AgentFlags.NAMESPACE, paramLabel = "NS",
            description = "Namespace of the Backup resource (manifest metadata)")
    String namespace;

    @Option(names = AgentFlags.BACKUP_NAME, paramLabel = "NAME",
            description = "Name of the Backup resource (manifest metadata)")
    String backupName;

    @Option(names = AgentFlags.SCHEDULE, paramLabel = "NAME",
            description = "Name of the BackupSchedule that made it, if any")
    String schedule;

    @Option(names = AgentFlags.ROLE_PASSWORDS, description = "Record the roles' password hashes in the roles file "
            + "beside the archive (reads pg_authid: needs a superuser)")
    boolean rolePasswords;

    @Option(names = AgentFlags.RECIPIENT, paramLabel = "AGE1...",
            description = "Encrypt the archive (and its roles file) with age to this X25519 recipient, a public key "
                    + "as age-keygen prints it (repeatable; also: one per line in env " + AgentEnv.AGE_RECIPIENTS
                    + "). The archive is then FOLDER/archive-...pgdump.zst.age; age -d opens it")
    List<String> recipients = new ArrayList<>();

    @Override
    BackupResult execute() {
        BackupPreload.await();
        ArchiveCompression algo;
        try {
            algo = ArchiveCompression.parse(compression);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        algo.levelProblem(level).ifPresent(p -> {
            throw new AgentFailure(Reason.InvalidArguments, "--" + p); // "--level 23 is out of range for zstd (1-22)"
        });
        BackupFolder folder = folderOption.folder();
        AgeRecipients encryptTo = AgeRecipients.of(recipients, System.getenv(AgentEnv.AGE_RECIPIENTS));
        BackupRequest request = new BackupRequest(database.toTarget(), storage.toLocation(), folder, algo,
                algo.effectiveLevel(level), new ManifestScope(tables, excludeTables, schemas, schemaOnly), description,
                namespace, backupName, schedule, pgBinRoot.resolve(root.pgBinRoot()), rolePasswords, encryptTo);
        return new BackupRunner(request).run();
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.DumpFailed;
    }
}
