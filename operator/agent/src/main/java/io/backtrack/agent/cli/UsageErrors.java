package io.backtrack.agent.cli;

import io.backtrack.contract.args.AgentCommands;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

import java.util.Set;

/**
 * Usage errors exit 2. For the commands with a JSON result the error is also reported as an
 * {@code InvalidArguments} result line, so a Job with bad arguments still explains itself in its status.
 */
public final class UsageErrors {
    private static final Set<String> RESULT_COMMANDS = Set.of(AgentCommands.BACKUP, AgentCommands.RESTORE,
            AgentCommands.VERIFY, AgentCommands.DRILL, AgentCommands.DELETE);

    private UsageErrors() {
    }

    public static int handle(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        System.err.println("error: " + e.getMessage());
        cmd.usage(System.err);
        if (RESULT_COMMANDS.contains(cmd.getCommandName())) {
            ResultCommand.emitUsageFailure(cmd.getCommandName() + ": " + e.getMessage());
        }
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}
