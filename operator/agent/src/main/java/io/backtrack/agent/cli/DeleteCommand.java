package io.backtrack.agent.cli;

import io.backtrack.agent.catalog.BackupCatalog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "delete", description = "Delete a backup folder: manifest.json first, then every other object (idempotent)")
public final class DeleteCommand extends ResultCommand {
    @Mixin
    StorageOptions storage;

    @Option(names = "--key", required = true, paramLabel = "FOLDER", description = "The backup's folder in the bucket")
    String key;

    @Override
    Map<String, Object> execute() {
        BackupFolder folder;
        try {
            folder = new BackupFolder(key);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
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
