package io.backtrack.agent.cli;

import io.backtrack.agent.cli.AgentMain;
import io.backtrack.agent.verify.VerifyRunner;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;


@Command(name = AgentCommands.VERIFY, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Check a stored backup: SHA-256 and size against its manifest, and that it decompresses")
public final class VerifyCommand extends ResultCommand {
    @Mixin
    StorageOptions storage;

    @Mixin
    FolderOption folderOption;

    @Override
    VerifyResult execute() {
        BackupFolder folder = folderOption.folder();
        return new VerifyRunner(storage.toLocation(), folder).run();
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.ArchiveCorrupt;
    }
}
