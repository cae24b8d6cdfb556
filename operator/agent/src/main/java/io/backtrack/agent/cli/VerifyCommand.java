package io.backtrack.agent.cli;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.verify.VerifyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "verify", description = "Check a stored backup: SHA-256 and size against its manifest, and that it decompresses")
public final class VerifyCommand extends ResultCommand {
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
        return new VerifyRunner(storage.toLocation(), folder).run();
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.ArchiveCorrupt;
    }
}
