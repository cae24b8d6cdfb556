package io.backtrack.agent.cli;

import io.backtrack.agent.AgentVersion;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.args.AgentFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.util.List;

/**
 * {@code backtrack-agent}: the entrypoint of backup/restore Jobs and the SRE's break-glass CLI.
 * Exit codes: 0 success, 1 failure with a reason (see the JSON result line), 2 usage error.
 */
@Command(name = "backtrack-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Back up PostgreSQL databases to S3-compatible storage and restore them with proof.")
public final class AgentMain implements Runnable {
    /** Every command, in the order the usage lists them (before the help command). */
    private static final List<String> COMMANDS = List.of(AgentCommands.BACKUP, AgentCommands.RESTORE,
            AgentCommands.VERIFY, AgentCommands.DRILL, AgentCommands.LIST, AgentCommands.DELETE, AgentCommands.PROBE);

    @Option(names = AgentFlags.PG_BIN_ROOT, paramLabel = "DIR",
            description = "Root of <major>/bin/pg_dump trees (env BACKTRACK_PG_BIN_ROOT, default /usr/lib/postgresql)")
    String pgBinRoot;

    /** The root command's --pg-bin-root, for subcommands (which also accept it themselves). */
    PgBinRootOption pgBinRoot() {
        return PgBinRootOption.of(pgBinRoot);
    }

    @Override
    public void run() {
        commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(AgentCommands.BACKUP)) {
            BackupPreload.start();
        }
        System.exit(commandLineFor(args).execute(args));
    }

    /** The agent's whole command line, every command in it: what a Job's arguments are checked against. */
    public static CommandLine commandLine() {
        return withCommands(COMMANDS, true);
    }

    /**
     * The command line that parses {@code args} as {@link #commandLine()} would. When the first argument names a
     * command (as every Job's does), only that command is built: picocli reads each command's annotations by
     * reflection when it is added (0.16 s of a Job's start for all of them, 0.10 s for one, measured with the
     * image's class-data sharing archive).
     */
    static CommandLine commandLineFor(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]) ? withCommands(List.of(args[0]), false) : commandLine();
    }

    /** The root command with {@code names} under it (and the help command if {@code help}), usage errors handled. */
    private static CommandLine withCommands(List<String> names, boolean help) {
        CommandLine cli = new CommandLine(new AgentMain());
        for (String name : names) {
            cli.addSubcommand(command(name));
        }
        if (help) {
            cli.addSubcommand(new CommandLine.HelpCommand());
        }
        // Last: picocli hands the handler to the subcommands added so far only.
        return cli.setParameterExceptionHandler(UsageErrors::handle);
    }

    private static Object command(String name) {
        return switch (name) {
            case AgentCommands.BACKUP -> new BackupCommand();
            case AgentCommands.RESTORE -> new RestoreCommand();
            case AgentCommands.VERIFY -> new VerifyCommand();
            case AgentCommands.DRILL -> new DrillCommand();
            case AgentCommands.LIST -> new ListCommand();
            case AgentCommands.DELETE -> new DeleteCommand();
            case AgentCommands.PROBE -> new ProbeCommand();
            default -> throw new IllegalArgumentException("no agent command " + name);
        };
    }

    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"backtrack-agent " + AgentVersion.current()};
        }
    }
}
