package io.backtrack.agent.cli;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.Reason;
import picocli.CommandLine.Option;

/** The --key flag every command on one backup takes: the backup's folder in the bucket. */
public final class FolderOption {
    @Option(names = AgentFlags.KEY, required = true, paramLabel = "FOLDER",
            description = "The backup's folder in the bucket")
    String key;

    BackupFolder folder() {
        try {
            return new BackupFolder(key);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
    }
}
