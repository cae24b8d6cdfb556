package io.backtrack.agent.cli;

import io.backtrack.agent.AgentMain;
import io.backtrack.agent.restore.ArchiveSource;
import io.backtrack.agent.restore.DatabaseNames;
import io.backtrack.agent.restore.RestorePhase;
import io.backtrack.agent.restore.RestoreRequest;
import io.backtrack.agent.restore.RestoreRunner;
import io.backtrack.agent.restore.RestoreScope;
import io.backtrack.agent.restore.RestoreStrategy;
import io.backtrack.agent.restore.VerifyMode;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = {
        "Restore a backup folder into --dbname, verifying the archive's SHA-256 while it streams (its last bytes "
                + "are held back until it matched) and the tables' row counts afterwards.",
        "Strategies: newDatabase (default: --dbname must not exist), swap (restore into a side database created "
                + "like the live one, verify, then give it the live one's grants and settings and rename the live "
                + "database to --previous-database and the side database into its place), inPlace (into the "
                + "existing database in one transaction, committed only once the whole archive matched and every "
                + "table's row count matched inside that transaction).",
        "Phases: check (touches nothing), restore, verify (newDatabase and swap; for swap: and put in place), "
                + "or all of them."})
public final class RestoreCommand extends BackupAndDatabaseCommand {
    @Option(names = "--no-owner", description = "Do not restore object ownership (objects belong to --username)")
    boolean noOwner;

    @Option(names = "--strategy", defaultValue = "newDatabase", paramLabel = "S",
            description = "newDatabase (default), swap or inPlace")
    String strategy;

    @Option(names = "--phase", defaultValue = "all", paramLabel = "P",
            description = "all (default), check, restore or verify")
    String phase;

    @Option(names = "--side-database", paramLabel = "DB",
            description = "swap: where to restore before it is verified (default <dbname>_restoring_<sha256 prefix>)")
    String sideDatabase;

    @Option(names = "--previous-database", paramLabel = "DB",
            description = "swap: what the replaced database is renamed to (default <dbname>_before_restore_<UTC time>)")
    String previousDatabase;

    @Option(names = "--table", paramLabel = "T",
            description = "Only this table of the backup: schema.table, or a table name only one schema has "
                    + "(repeatable). It comes back as backed up: definition, rows, owned sequences and their values, "
                    + "defaults, constraints, indexes, triggers, comments, grants, partitions")
    List<String> tables = new ArrayList<>();

    @Option(names = "--schema", paramLabel = "S",
            description = "Only this schema of the backup, with everything in it (repeatable; with --table: both)")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--schema-only", description = "Definitions only, no rows")
    boolean schemaOnly;

    @Option(names = "--data-only", description = "Rows only, into existing tables (inPlace empties them first)")
    boolean dataOnly;

    @Option(names = "--verify", defaultValue = "rowCounts", paramLabel = "MODE",
            description = "rowCounts (default): compare every restored table's rows with the manifest; none")
    String verify;

    @Option(names = "--lock-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "inPlace: how long a statement may wait for a lock before the restore fails and rolls "
                    + "back (default: ${DEFAULT-VALUE}; 0s waits forever), e.g. 10s, 2m, 1m30s")
    String lockTimeout;

    @Override
    Map<String, Object> execute() {
        BackupFolder folder;
        RestoreStrategy s;
        RestorePhase p;
        VerifyMode v;
        java.time.Duration timeout;
        try {
            folder = folderOption.folder();
            s = RestoreStrategy.parse(strategy);
            p = RestorePhase.parse(phase);
            v = VerifyMode.parse(verify);
            timeout = Durations.parse(lockTimeout, "--lock-timeout");
            if (sideDatabase != null) {
                DatabaseNames.requireValid(sideDatabase, "--side-database");
            }
            if (previousDatabase != null) {
                DatabaseNames.requireValid(previousDatabase, "--previous-database");
            }
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        RestoreRequest request = new RestoreRequest(storage.toLocation(), folder, database.toTarget(manifestDatabase(folder)), noOwner,
                pgBinRoot(), s, p, sideDatabase, previousDatabase,
                new RestoreScope(tables, schemas, schemaOnly, dataOnly), v, timeout);
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
