package io.backtrack.agent.cli;

import io.backtrack.agent.cli.AgentMain;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code backtrack-agent <command> --help} prints the command's help and exits 0, with no usage error. */
class HelpTest {
    @Test
    void everyCommandHasHelpThatSucceeds() {
        for (String command : new String[] {"backup", "restore", "verify", "drill", "list", "delete"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = AgentMain.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int exit = cli.execute(command, "--help");
            assertThat(exit).as(command).isZero();
            assertThat(out.toString()).as(command).contains("Usage: backtrack-agent " + command);
            assertThat(err.toString()).as(command).isEmpty();
        }
    }
}
