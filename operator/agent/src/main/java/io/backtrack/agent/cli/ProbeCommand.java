package io.backtrack.agent.cli;

import io.backtrack.agent.probe.StorageProbe;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.result.ProbeResult;
import io.backtrack.contract.result.Reason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@Command(name = AgentCommands.PROBE, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Check a storage location: list the prefix, write, read back and delete a probe object, and "
                + "count the completed backups and their bytes under the prefix; with --discover, also report the "
                + "completed backups that have no Backup resource yet")
public final class ProbeCommand extends ResultCommand {
    @Mixin
    StorageOptions storage;

    @Option(names = AgentFlags.PREFIX, paramLabel = "P", description = "Look and write under this prefix, e.g. prod "
            + "(default: the whole bucket)")
    String prefix;

    @Option(names = AgentFlags.DISCOVER, description = "Also report the completed backups under the prefix whose "
            + "folders are not --known: manifest readable, archive present with the manifest's size (as many as fit "
            + "in the result line; 'remaining' counts the rest)")
    boolean discover;

    @Option(names = AgentFlags.KNOWN, paramLabel = "FINGERPRINTS", description = "With --discover: comma-separated "
            + "fingerprints (first 12 hex digits of the SHA-256 of a folder's key) of folders that already have a "
            + "Backup resource; repeatable")
    List<String> known = new ArrayList<>();

    @Override
    ProbeResult execute() {
        if (!known.isEmpty() && !discover) {
            throw new AgentFailure(Reason.InvalidArguments, AgentFlags.KNOWN + " is only used with " + AgentFlags.DISCOVER);
        }
        Optional<Set<String>> knownFolders = discover ? Optional.of(known.stream()
                .flatMap(k -> Arrays.stream(k.split(",")))
                .map(String::trim)
                .filter(k -> !k.isEmpty())
                .collect(Collectors.toSet())) : Optional.empty();
        try (ObjectStore store = new ObjectStore(storage.toLocation())) {
            return new StorageProbe(store, prefix, knownFolders).run();
        }
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.StorageUnreachable;
    }
}
