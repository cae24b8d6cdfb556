package io.backtrack.agent.cli;

import io.backtrack.agent.archive.ArchiveSource;
import io.backtrack.agent.restore.RestoreRequest;
import io.backtrack.agent.restore.RestoreRunner;
import io.backtrack.agent.restore.RestoreSelection;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.names.DatabaseNames;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.RestoreResult;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;
import io.backtrack.contract.wire.RolesPolicy;
import io.backtrack.contract.wire.VerifyMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(name = AgentCommands.RESTORE, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = {
        "Restore a backup folder into --dbname, verifying the archive's SHA-256 while it streams (its last bytes "
                + "are held back until it matched) and comparing the tables' row counts with the manifest's afterwards.",
        "Strategies: newDatabase (default: --dbname must not exist), swap (restore into a side database created "
                + "like the live one, compare, then give it the live one's grants and settings and rename the live "
                + "database to --previous-database and the side database into its place), inPlace (into the "
                + "existing database in one transaction, committed only once the whole archive matched and every "
                + "table's row count matched inside that transaction).",
        "Steps: check (touches nothing), restore, compare (newDatabase and swap; for swap: and put in place), "
                + "or all of them."})
public final class RestoreCommand extends BackupAndDatabaseCommand {
    @Option(names = AgentFlags.NO_OWNER, description = "Do not restore object ownership (objects belong to --username)")
    boolean noOwner;

    @Option(names = AgentFlags.STRATEGY, defaultValue = RestoreStrategy.DEFAULT_VALUE, paramLabel = "S",
            description = "newDatabase (default), swap or inPlace")
    String strategy;

    @Option(names = AgentFlags.STEP, defaultValue = RestoreStep.DEFAULT_VALUE, paramLabel = "STEP",
            description = "all (default), check, restore or compare (not for inPlace, which compares in its restore step)")
    String step;

    @Option(names = AgentFlags.SIDE_DATABASE, paramLabel = "DB",
            description = "swap: where to restore before it is compared (default <dbname>_restoring_<sha256 prefix>)")
    String sideDatabase;

    @Option(names = AgentFlags.PREVIOUS_DATABASE, paramLabel = "DB",
            description = "swap: what the replaced database is renamed to (default <dbname>_before_restore_<UTC time>)")
    String previousDatabase;

    @Option(names = AgentFlags.TABLE, paramLabel = "T",
            description = "Only this table of the backup: schema.table, or a table name only one schema has "
                    + "(repeatable). It comes back as backed up: definition, rows, owned sequences and their values, "
                    + "defaults, constraints, indexes, triggers, comments, grants, partitions")
    List<String> tables = new ArrayList<>();

    @Option(names = AgentFlags.SCHEMA, paramLabel = "S",
            description = "Only this schema of the backup, with everything in it (repeatable; with --table: both)")
    List<String> schemas = new ArrayList<>();

    @Option(names = AgentFlags.SCHEMA_ONLY, description = "Definitions only, no rows")
    boolean schemaOnly;

    @Option(names = AgentFlags.DATA_ONLY, description = "Rows only, into existing tables (inPlace empties them first)")
    boolean dataOnly;

    @Option(names = AgentFlags.VERIFY, defaultValue = VerifyMode.DEFAULT_VALUE, paramLabel = "MODE",
            description = "rowCounts (default): compare every restored table's rows with the manifest; none")
    String verify;

    @Option(names = AgentFlags.LOCK_TIMEOUT, defaultValue = "30s", paramLabel = "DURATION",
            description = "inPlace: how long a statement may wait for a lock before the restore fails and rolls "
                    + "back (default: ${DEFAULT-VALUE}; 0s waits forever), e.g. 10s, 2m, 1m30s")
    String lockTimeout;

    @Option(names = AgentFlags.ROLES, defaultValue = RolesPolicy.DEFAULT_VALUE, paramLabel = "POLICY",
            description = "Roles the restored objects are owned by or granted to that the target server lacks: skip "
                    + "(default) refuses the restore in its check step, naming them; createMissing creates them from "
                    + "the backup's roles file first (an existing role is never altered)")
    String roles;

    @Option(names = AgentFlags.JOBS, defaultValue = "1", paramLabel = "N",
            description = "pg_restore's parallel jobs (newDatabase and swap; default ${DEFAULT-VALUE}: the archive "
                    + "streams into one pg_restore). 2 or more: the archive is first checked and written, "
                    + "decompressed, to the temporary directory (room for the whole uncompressed dump; not for an "
                    + "encrypted archive), then restored with N connections loading tables and building indexes side "
                    + "by side")
    int jobs;

    @Override
    RestoreResult execute() {
        BackupFolder folder;
        RestoreStrategy s;
        RestoreStep p;
        VerifyMode v;
        Duration timeout;
        RolesPolicy r;
        try {
            folder = folderOption.folder();
            s = RestoreStrategy.parse(strategy);
            p = RestoreStep.parse(step);
            v = VerifyMode.parse(verify);
            r = RolesPolicy.parse(roles);
            timeout = Durations.parse(lockTimeout, AgentFlags.LOCK_TIMEOUT);
            if (jobs < 1 || jobs > AgentFlags.MAX_JOBS) {
                throw new IllegalArgumentException(AgentFlags.JOBS + " must be 1 to " + AgentFlags.MAX_JOBS + " (got "
                        + jobs + ")");
            }
            if (sideDatabase != null) {
                DatabaseNames.requireValid(sideDatabase, AgentFlags.SIDE_DATABASE);
            }
            if (previousDatabase != null) {
                DatabaseNames.requireValid(previousDatabase, AgentFlags.PREVIOUS_DATABASE);
            }
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        RestoreRequest request = new RestoreRequest(storage.toLocation(), folder,
                database.toTarget(manifestDatabase(folder)), noOwner, pgBinRoot(), s, p, sideDatabase,
                previousDatabase, new RestoreSelection(tables, schemas, schemaOnly, dataOnly), v, timeout, r,
                identityOption.identity(), jobs);
        return new RestoreRunner(request).run();
    }

    /** Without --dbname the backup goes back to the database it was taken from, as its manifest names it. */
    private String manifestDatabase(BackupFolder folder) {
        if (database.hasDatabase()) {
            return null;
        }
        try (ObjectStore store = new ObjectStore(storage.toLocation())) {
            store.requireBucket();
            return ArchiveSource.readManifest(store, folder).database();
        }
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.RestoreFailed;
    }
}
