package io.backtrack.agent.cli;

import io.backtrack.agent.cli.AgentMain;
import io.backtrack.agent.drill.DrillCheck;
import io.backtrack.agent.drill.DrillRunner;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentCommands;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.durations.Durations;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.DrillResult;
import io.backtrack.contract.result.Reason;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

@Command(name = AgentCommands.DRILL, mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = {
                "Prove a backup restores, and measure how long it takes: restore it into a new scratch database "
                        + "(SHA-256 checked while it streams, every table's row count compared with the manifest), "
                        + "run the checks read-only, then drop the scratch database.",
                "Prints recoverySeconds: the time from start to a database whose row counts matched."})
public final class DrillCommand extends BackupAndDatabaseCommand {
    // --dbname: the scratch database (default <backed-up database>_drill_<UTC time>); it must not exist.
    @Option(names = AgentFlags.KEEP, description = "Keep the scratch database afterwards (default: drop it)")
    boolean keep;

    @Option(names = AgentFlags.CHECK_TIMEOUT, defaultValue = "60s", paramLabel = "DURATION",
            description = "Statement timeout of each check (default: ${DEFAULT-VALUE})")
    String checkTimeout;

    @ArgGroup(exclusive = false, multiplicity = "0..*")
    List<CheckOptions> checks = new ArrayList<>();

    /** One {@code --check NAME --sql QUERY --expect VALUE} group. */
    static final class CheckOptions {
        @Option(names = AgentFlags.CHECK, required = true, paramLabel = "NAME",
                description = "A check's name (repeatable)")
        String name;

        @Option(names = AgentFlags.SQL, required = true, paramLabel = "QUERY",
                description = "Its query; the first column of the first row is compared")
        String sql;

        @Option(names = AgentFlags.EXPECT, required = true, paramLabel = "VALUE",
                description = "The expected value: t, 42, or an operator and a number: > 0, >= 100, != 0")
        String expect;
    }

    @Override
    DrillResult execute() {
        BackupFolder folder;
        List<DrillCheck> parsed = new ArrayList<>();
        Duration timeout;
        try {
            folder = folderOption.folder();
            for (CheckOptions c : checks) {
                parsed.add(new DrillCheck(c.name, c.sql, c.expect));
            }
            timeout = Durations.parse(checkTimeout, AgentFlags.CHECK_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new AgentFailure(Reason.InvalidArguments, e.getMessage(), e);
        }
        // Without --dbname the scratch database is named after the backed-up one (<db>_drill_<time>).
        PgTarget server = database.toTarget("postgres");
        return new DrillRunner(new DrillRunner.DrillRequest(storage.toLocation(), folder, server,
                database.hasDatabase() ? server.database() : null, pgBinRoot(), parsed,
                keep, timeout, identityOption.identity())).run();
    }

    @Override
    Reason unexpectedFailureReason() {
        return Reason.RestoreFailed;
    }
}
