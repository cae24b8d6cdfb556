package io.backtrack.agent.cli;

import io.backtrack.agent.catalog.BackupCatalog;
import io.backtrack.agent.catalog.BackupTable;
import io.backtrack.agent.cli.AgentMain;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.args.AgentFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** For people: a plain-text table, not the JSON result line; failures go to stderr with exit 1. */
@Command(name = AgentCommands.LIST, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "List completed backups (folders with a manifest.json), newest first")
public final class ListCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Option(names = AgentFlags.PREFIX, paramLabel = "P", description = "Only folders under this prefix, e.g. prod/shop/")
    String prefix;

    @Override
    public Integer call() {
        try (ObjectStore store = new ObjectStore(storage.toLocation())) {
            store.requireBucket();
            System.out.print(BackupTable.render(new BackupCatalog(store).list(prefix)));
            System.out.flush();
            return 0;
        } catch (AgentFailure f) {
            System.err.println("error: " + f.reason() + ": " + f.getMessage());
            return 1;
        }
    }
}
