package io.backtrack.contract.args;

import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.wire.RestoreStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentArgsTest {
    private static final BackupFolder FOLDER = BackupFolder.of("prod", "shop", "orders");

    @Test
    void aBackupsArgumentsAreACommandAndItsFlagsAsAList() {
        List<String> args = AgentArgs.backup().database("orders-db", 5432, "orders")
                .storage("http://minio:9000", "db-backups", "us-east-1").folder(FOLDER)
                .compression("zstd", 1).tables(List.of("public.orders")).excludeTables(List.of("public.log"))
                .schemas(List.of()).schemaOnly(false).description(" ").backupResource("shop", "orders")
                .schedule(null).build();
        assertThat(args).containsExactly("backup", "--host", "orders-db", "--port", "5432", "--dbname", "orders",
                "--endpoint", "http://minio:9000", "--bucket", "db-backups", "--region", "us-east-1",
                "--key", "prod/shop/orders", "--compression", "zstd", "--level", "1", "--table", "public.orders",
                "--exclude-table", "public.log", "--namespace", "shop", "--backup-name", "orders");
    }

    @Test
    void noneTakesNoLevel() {
        assertThat(AgentArgs.backup().compression("none", 3).build()).containsExactly("backup", "--compression", "none");
        assertThat(AgentArgs.backup().compression("gzip", null).build()).containsExactly("backup", "--compression", "gzip");
    }

    @Test
    void aRestoreStepsArgumentsSpellValuesAsTheAgentDoes() {
        List<String> args = AgentArgs.restore().storage("http://minio:9000", "b", "eu-west-1").folder(FOLDER)
                .database("db", 5433, null).strategy("swap").step(RestoreStep.COMPARE).verify("rowCounts")
                .swapDatabases("orders_restoring_1a2b3", "orders_before_restore_20261122t031500z")
                .dataOnly(false).schemaOnly(true).build();
        assertThat(args).containsSubsequence("restore", "--host", "db", "--port", "5433", "--strategy", "swap",
                "--step", "compare", "--verify", "rowCounts", "--side-database", "orders_restoring_1a2b3",
                "--previous-database", "orders_before_restore_20261122t031500z", "--schema-only")
                .doesNotContain("--dbname", "--data-only");
    }

    @Test
    void aValueTheAgentWouldRefuseFailsWhenTheJobIsBuilt() {
        assertThatThrownBy(() -> AgentArgs.restore().strategy("inplace")).hasMessageContaining("unknown strategy");
        assertThatThrownBy(() -> AgentArgs.restore().verify("rows")).hasMessageContaining("unknown verify mode");
        assertThatThrownBy(() -> AgentArgs.backup().compression("lz4", null)).hasMessageContaining("unknown compression");
        assertThatThrownBy(() -> AgentArgs.delete().storage(null, "b", "r")).hasMessage("--endpoint needs a value");
    }
}
