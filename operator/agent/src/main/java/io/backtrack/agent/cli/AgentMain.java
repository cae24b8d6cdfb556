package io.backtrack.agent.cli;

import io.backtrack.agent.AgentVersion;
import io.backtrack.contract.args.AgentFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code backtrack-agent}: the entrypoint of backup/restore Jobs and the SRE's break-glass CLI.
 * Exit codes: 0 success, 1 failure with a reason (see the JSON result line), 2 usage error.
 */
@Command(name = "backtrack-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Back up PostgreSQL databases to S3-compatible storage and restore them with proof.",
        subcommands = {BackupCommand.class, RestoreCommand.class, VerifyCommand.class, DrillCommand.class,
                ListCommand.class, DeleteCommand.class, CommandLine.HelpCommand.class})
public final class AgentMain implements Runnable {
    @Option(names = AgentFlags.PG_BIN_ROOT, paramLabel = "DIR",
            description = "Root of <major>/bin/pg_dump trees (env BACKTRACK_PG_BIN_ROOT, default /usr/lib/postgresql)")
    String pgBinRoot;

    /** The root command's --pg-bin-root, for subcommands (which also accept it themselves). */
    PgBinRootOption pgBinRoot() {
        return PgBinRootOption.of(pgBinRoot);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The agent's command line: what a Job's arguments are parsed with. */
    public static CommandLine commandLine() {
        return new CommandLine(new AgentMain()).setParameterExceptionHandler(UsageErrors::handle);
    }

    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"backtrack-agent " + AgentVersion.current()};
        }
    }
}
