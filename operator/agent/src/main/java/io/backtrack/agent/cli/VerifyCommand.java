package io.backtrack.agent.cli;

import io.backtrack.agent.AgentMain;
import io.backtrack.agent.result.Reason;
import io.backtrack.agent.storage.BackupFolder;
import io.backtrack.agent.verify.VerifyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;

@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Check a stored backup: SHA-256 and size against its manifest, and that it decompresses")
public final class VerifyCommand extends ResultCommand {
    @Mixin
    StorageOptions storage;

    @Mixin
    FolderOption folderOption;

    @Override
    Map<String, Object> execute() {
        BackupFolder folder = folderOption.folder();
        return new VerifyRunner(storage.toLocation(), folder).run();
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.ArchiveCorrupt;
    }
}
