package io.backtrack.agent.cli;

import io.backtrack.contract.args.AgentCommands;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Job's command line built with only its command parses exactly as the whole command line does. */
class AgentMainTest {
    private static final String[] BACKUP_JOB = {"backup", "--host", "db.example", "--port", "5433", "--username",
            "app", "--dbname", "shop", "--endpoint", "http://s3.example:9000", "--bucket", "db-backups", "--key",
            "shop/2026-12-07", "--level", "3"};
    private static final String[] RESTORE_JOB = {"restore", "--host", "db.example", "--username", "app", "--dbname",
            "shop", "--endpoint", "http://s3.example:9000", "--bucket", "db-backups", "--key", "shop/2026-12-07",
            "--jobs", "2"};

    @Test
    void everyAgentCommandIsOnTheWholeCommandLine() throws IllegalAccessException {
        List<String> declared = new ArrayList<>();
        for (Field f : AgentCommands.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                declared.add((String) f.get(null));
            }
        }
        assertThat(AgentMain.commandLine().getSubcommands().keySet()).containsAll(declared)
                .contains("help").hasSize(declared.size() + 1);
    }

    @Test
    void aJobsCommandLineHoldsOnlyItsCommand() {
        for (String command : AgentMain.commandLine().getSubcommands().keySet()) {
            if (!command.equals("help")) {
                assertThat(AgentMain.commandLineFor(new String[] {command, "--help"}).getSubcommands().keySet())
                        .as(command).containsExactly(command);
            }
        }
    }

    @Test
    void argumentsNotStartingWithACommandGetTheWholeCommandLine() {
        for (String[] args : List.of(new String[0], new String[] {"--version"}, new String[] {"--pg-bin-root",
                "/opt/pg", "backup", "--help"}, new String[] {"help", "backup"}, new String[] {"backpu"})) {
            assertThat(AgentMain.commandLineFor(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(AgentMain.commandLine().getSubcommands().keySet());
        }
    }

    @Test
    void eachCommandsHelpIsTheSameEitherWay() {
        for (String command : AgentMain.commandLine().getSubcommands().keySet()) {
            if (!command.equals("help")) {
                String[] args = {command, "--help"};
                assertThat(run(AgentMain.commandLineFor(args), args)).as(command)
                        .isEqualTo(run(AgentMain.commandLine(), args)).contains("Usage: backtrack-agent " + command);
            }
        }
    }

    @Test
    void aJobsArgumentsParseToTheSameValuesEitherWay() {
        for (String[] job : List.of(BACKUP_JOB, RESTORE_JOB)) {
            Map<String, Object> lazy = values(AgentMain.commandLineFor(job).parseArgs(job));
            assertThat(lazy).as(Arrays.toString(job)).isEqualTo(values(AgentMain.commandLine().parseArgs(job)))
                    .containsKey("--bucket");
        }
    }

    @Test
    void aMisspelledOptionIsTheSameUsageErrorEitherWay() {
        String[] args = {"backup", "--host", "db.example", "--dbname", "shop", "--endpoint", "http://s3.example:9000",
                "--bucket", "b", "--key", "k", "--no-such-flag"};
        String lazy = usageError(AgentMain.commandLineFor(args), args);
        assertThat(lazy).isEqualTo(usageError(AgentMain.commandLine(), args))
                .contains("Unknown option: '--no-such-flag'").contains("\"reason\":\"InvalidArguments\"");
    }

    /** Exit code, stdout (the result line) and stderr of a usage error, which the handler prints to System.out/err. */
    private static String usageError(CommandLine cli, String[] args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exit = cli.execute(args);
            return exit + "\n" + stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String run(CommandLine cli, String[] args) {
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute(args)).as(String.join(" ", args)).isZero();
        return out.toString();
    }

    /** The matched options of the parsed command, by longest name. */
    private static Map<String, Object> values(CommandLine.ParseResult root) {
        CommandLine.ParseResult command = root.subcommand();
        Map<String, Object> values = new LinkedHashMap<>();
        command.matchedOptions().forEach(o -> values.put(o.longestName(), o.getValue()));
        values.put("command", command.commandSpec().name());
        return values;
    }
}
