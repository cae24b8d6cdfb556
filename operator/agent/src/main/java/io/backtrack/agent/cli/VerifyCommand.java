package io.backtrack.agent.cli;

import io.backtrack.agent.cli.AgentMain;
import io.backtrack.agent.verify.VerifyRunner;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.result.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


@Command(name = AgentCommands.VERIFY, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Check a stored backup: SHA-256 and size against its manifest, and that it decompresses (an "
                + "encrypted archive: with " + AgentFlags.DEEP + ", that it decrypts with the identity and decompresses)")
public final class VerifyCommand extends ResultCommand {
    @Mixin
    StorageOptions storage;

    @Mixin
    FolderOption folderOption;

    @Mixin
    IdentityOption identityOption;

    @Option(names = AgentFlags.DEEP, description = "Also decrypt an encrypted archive (needs its identity) and "
            + "decompress it; without, an encrypted archive's SHA-256 and size are checked, which needs no key")
    boolean deep;

    @Override
    VerifyResult execute() {
        BackupFolder folder = folderOption.folder();
        return new VerifyRunner(storage.toLocation(), folder, deep ? identityOption.identity() : null, deep).run();
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.ArchiveCorrupt;
    }
}
