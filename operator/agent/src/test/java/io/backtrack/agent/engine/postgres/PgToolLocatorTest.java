package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgToolLocatorTest {

    @Test
    void choosesTheSmallestInstalledMajorAtLeastTheServers() {
        assertThat(PgToolLocator.choose(List.of(13, 15, 16, 17), 15)).contains(15);
        assertThat(PgToolLocator.choose(List.of(13, 16, 17), 15)).contains(16);
        assertThat(PgToolLocator.choose(List.of(13, 14), 15)).isEmpty();
        assertThat(PgToolLocator.choose(List.of(), 15)).isEmpty();
    }

    @Test
    void findsExecutablesInTheDebianLayout(@TempDir Path root) throws Exception {
        install(root, 14, "pg_dump");
        install(root, 16, "pg_dump");
        install(root, 17, "pg_restore");
        Files.createDirectories(root.resolve("not-a-version/bin"));
        PgToolLocator locator = new PgToolLocator(root);
        assertThat(locator.installedMajors("pg_dump")).containsExactly(14, 16);
        PgTool tool = locator.require("pg_dump", 15, "why");
        assertThat(tool.major()).isEqualTo(16);
        assertThat(tool.path()).isEqualTo(root.resolve("16/bin/pg_dump"));
    }

    @Test
    void missingToolNamesWhatWasFound(@TempDir Path root) throws Exception {
        install(root, 15, "pg_dump");
        assertThatThrownBy(() -> new PgToolLocator(root).require("pg_dump", 16,
                "the agent image must carry client tools >= the server's major version"))
                .isInstanceOfSatisfying(AgentFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.ToolMissing))
                .hasMessage("no pg_dump for PostgreSQL 16 under " + root + " (found: 15); the agent image must carry "
                        + "client tools >= the server's major version");
    }

    @Test
    void parsesVersionLines() {
        assertThat(PgToolLocator.majorOf("pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)")).contains(15);
        assertThat(PgToolLocator.majorOf("pg_dump (PostgreSQL) 17.2")).contains(17);
        assertThat(PgToolLocator.majorOf(null)).isEqualTo(Optional.empty());
    }

    @Test
    void serverMajorFromVersionNumber() {
        assertThat(new PgServerVersion(150014, "15.14").major()).isEqualTo(15);
        assertThat(new PgServerVersion(170002, "17.2").major()).isEqualTo(17);
    }

    private static void install(Path root, int major, String tool) throws Exception {
        Path bin = Files.createDirectories(root.resolve(major + "/bin"));
        Path file = Files.writeString(bin.resolve(tool), "#!/bin/sh\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
    }
}
