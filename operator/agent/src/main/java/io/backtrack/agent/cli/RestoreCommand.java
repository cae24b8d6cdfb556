package io.backtrack.agent.cli;

import io.backtrack.agent.AgentMain;
import io.backtrack.agent.restore.RestoreRequest;
import io.backtrack.agent.restore.RestoreRunner;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Map;

@Command(name = "restore", description = "Restore a backup folder into a NEW database (--dbname must not exist), "
        + "verifying the archive's SHA-256 and the tables' row counts")
public final class RestoreCommand extends ResultCommand {
    @ParentCommand
    AgentMain root;

    @Mixin
    StorageOptions storage;

    @Mixin
    DatabaseOptions database;

    @Mixin
    PgBinRootOption pgBinRoot;

    @Option(names = "--key", required = true, paramLabel = "FOLDER", description = "The backup's folder in the bucket")
    String key;

    @Option(names = "--no-owner", description = "Do not restore object ownership (objects belong to --username)")
    boolean noOwner;

    @Override
    Map<String, Object> execute() {
        BackupFolder folder;
        try {
            folder = new BackupFolder(key);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        return new RestoreRunner(new RestoreRequest(storage.toLocation(), folder, database.toTarget(), noOwner,
                pgBinRoot.resolve(root.pgBinRoot()))).run();
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.RestoreFailed;
    }
}
