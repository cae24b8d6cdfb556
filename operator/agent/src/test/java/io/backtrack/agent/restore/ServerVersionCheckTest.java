package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgServerVersion;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.ManifestScope;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ServerVersionCheckTest {
    private static final PgTarget TARGET = new PgTarget("orders-db", 5432, "orders", "app", "secret");

    private static Manifest from(String serverVersion) {
        return new Manifest(1, "0.1.0", "postgresql", serverVersion, null, "orders", null, null, null, null,
                ManifestScope.wholeDatabase(), "k", "custom", null, 1, "ab", List.of(), 0, null, null, null, null, null);
    }

    @Test
    void anOlderServerIsRefusedWithAClearMessage() {
        AgentFailure f = catchThrowableOfType(() -> RestoreRunner.requireNotOlder(from("16.4"),
                new PgServerVersion(150018, "15.18"), TARGET), AgentFailure.class);
        assertThat(f.reason()).isEqualTo(Reason.RestoreFailed);
        assertThat(f.getMessage()).isEqualTo("the backup comes from PostgreSQL 16.4 but orders-db:5432 runs 15.18; "
                + "restore to a server of version 16 or later");
        assertThat(f.getMessage()).doesNotContain("secret");
    }

    @Test
    void sameOrNewerServersAndUnknownVersionsPass() {
        assertThatCode(() -> RestoreRunner.requireNotOlder(from("15.2"), new PgServerVersion(150018, "15.18"), TARGET))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestoreRunner.requireNotOlder(from("14.9"), new PgServerVersion(160004, "16.4"), TARGET))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestoreRunner.requireNotOlder(from(null), new PgServerVersion(150018, "15.18"), TARGET))
                .doesNotThrowAnyException();
        assertThat(RestoreRunner.sourceMajor("99.1")).isEqualTo(99);
        assertThat(RestoreRunner.sourceMajor("17beta2")).isEqualTo(17);
    }
}
