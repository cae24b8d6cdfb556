package io.backtrack.agent.cli;

import io.backtrack.agent.probe.StorageProbe;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.result.ProbeResult;
import io.backtrack.contract.result.Reason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = AgentCommands.PROBE, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Check a storage location: list the prefix, write, read back and delete a probe object, and "
                + "count the completed backups and their bytes under the prefix")
public final class ProbeCommand extends ResultCommand {
    @Mixin
    StorageOptions storage;

    @Option(names = AgentFlags.PREFIX, paramLabel = "P", description = "Look and write under this prefix, e.g. prod "
            + "(default: the whole bucket)")
    String prefix;

    @Override
    ProbeResult execute() {
        try (ObjectStore store = new ObjectStore(storage.toLocation())) {
            return new StorageProbe(store, prefix).run();
        }
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.StorageUnreachable;
    }
}
