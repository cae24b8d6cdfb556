package io.backtrack.agent.cli;

import io.backtrack.agent.AgentMain;
import io.backtrack.agent.catalog.BackupCatalog;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;

@Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Delete a backup folder: manifest.json first, then every other object (idempotent)")
public final class DeleteCommand extends ResultCommand {
    @Mixin
    StorageOptions storage;

    @Mixin
    FolderOption folderOption;

    @Override
    Map<String, Object> execute() {
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
