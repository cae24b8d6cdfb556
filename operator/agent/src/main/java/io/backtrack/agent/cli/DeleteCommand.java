package io.backtrack.agent.cli;

import io.backtrack.agent.catalog.BackupCatalog;
import io.backtrack.agent.cli.AgentMain;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.DeleteResult;
import io.backtrack.contract.result.Reason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;


@Command(name = AgentCommands.DELETE, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Delete a backup folder: manifest.json first, then every other object (idempotent)")
public final class DeleteCommand extends ResultCommand {
    @Mixin
    StorageOptions storage;

    @Mixin
    FolderOption folderOption;

    @Override
    DeleteResult execute() {
        BackupFolder folder = folderOption.folder();
        try (ObjectStore store = new ObjectStore(storage.toLocation())) {
            store.requireBucket();
            return new BackupCatalog(store).delete(folder);
        }
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.StorageUnreachable;
    }
}
