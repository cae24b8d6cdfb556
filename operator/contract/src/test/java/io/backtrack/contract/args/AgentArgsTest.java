package io.backtrack.contract.args;

import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.ServerSideEncryption;
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
    void aDrillsArgumentsCarryItsScratchDatabaseAndItsChecks() {
        List<String> args = AgentArgs.drill().storage("http://minio:9000", "b", "us-east-1").folder(FOLDER)
                .database("scratch-db", 5432, "orders_drill_20261122t031500z").keep(false).checkTimeout("60s")
                .check("recent", "SELECT count(*) FROM orders", "> 0").build();
        assertThat(args).containsSubsequence("drill", "--host", "scratch-db", "--dbname",
                "orders_drill_20261122t031500z", "--check-timeout", "60s", "--check", "recent", "--sql",
                "SELECT count(*) FROM orders", "--expect", "> 0").doesNotContain("--keep");
        assertThat(AgentArgs.drill().keep(true).build()).containsExactly("drill", "--keep");
        assertThatThrownBy(() -> AgentArgs.drill().check("recent", "SELECT 1", "> lots"))
                .hasMessageContaining("needs a number");
    }

    @Test
    void aValueTheAgentWouldRefuseFailsWhenTheJobIsBuilt() {
        assertThatThrownBy(() -> AgentArgs.restore().strategy("inplace")).hasMessageContaining("unknown strategy");
        assertThatThrownBy(() -> AgentArgs.restore().verify("rows")).hasMessageContaining("unknown verify mode");
        assertThatThrownBy(() -> AgentArgs.backup().compression("lz4", null)).hasMessageContaining("unknown compression");
        assertThatThrownBy(() -> AgentArgs.delete().storage(null, "b", "r")).hasMessage("--endpoint needs a value");
        assertThatThrownBy(() -> AgentArgs.backup().databaseTls("verify_full", null, null, null))
                .hasMessage("unknown sslmode 'verify_full': use disable, prefer, require, verify-ca or verify-full");
        assertThatThrownBy(() -> AgentArgs.backup().databaseTls("require", null, "c.crt", null))
                .hasMessage("--sslcert and --sslkey go together");
    }

    @Test
    void tlsAndAddressingFlagsAreOnlyThereWhenTheyChangeSomething() {
        assertThat(AgentArgs.delete().storageAccess(null, true).build()).containsExactly("delete");
        assertThat(AgentArgs.delete().storageAccess(AgentMounts.STORAGE_CA_FILE, false).build()).containsExactly("delete",
                "--storage-ca-file", "/etc/backtrack/storage-ca/ca.crt", "--virtual-host-style");
        assertThat(AgentArgs.backup().databaseTls("require", null, null, null).build())
                .containsExactly("backup", "--sslmode", "require");
        assertThat(AgentArgs.backup().databaseTls("verify-full", "ca.crt", "c.crt", "c.key").build()).containsExactly(
                "backup", "--sslmode", "verify-full", "--sslrootcert", "ca.crt", "--sslcert", "c.crt", "--sslkey", "c.key");
    }

    @Test
    void aProbeLooksUnderItsPrefixOrTheWholeBucket() {
        assertThat(AgentArgs.probe().storage("https://s3.example", "b", "eu-central-1").prefix("prod").build())
                .containsExactly("probe", "--endpoint", "https://s3.example", "--bucket", "b", "--region",
                        "eu-central-1", "--prefix", "prod");
        assertThat(AgentArgs.probe().prefix(" ").build()).containsExactly("probe");
        assertThat(AgentArgs.probe().prefix(null).build()).containsExactly("probe");
    }

    @Test
    void aDiscoveryNamesItsKnownFoldersSortedAThousandAValue() {
        assertThat(AgentArgs.probe().discover(java.util.List.of()).build()).containsExactly("probe", "--discover");
        assertThat(AgentArgs.probe().discover(java.util.List.of("bbb", "aaa", "bbb")).build())
                .containsExactly("probe", "--discover", "--known", "aaa,bbb");
        java.util.List<String> many = java.util.stream.IntStream.range(0, 2500)
                .mapToObj(i -> String.format("%012x", i)).toList();
        java.util.List<String> args = AgentArgs.probe().discover(many).build();
        assertThat(args.stream().filter("--known"::equals)).hasSize(3);
        assertThat(args.get(3).split(",")).hasSize(AgentArgs.KNOWN_PER_FLAG);
        assertThat(args.get(7).split(",")).hasSize(500);
    }

    @Test
    void serverSideEncryptionIsSpelledAsTheContractSpellsIt() {
        assertThat(AgentArgs.backup().sse("KMS", "arn:aws:kms:eu-central-1:1:key/k").build())
                .containsExactly("backup", "--sse", "KMS", "--sse-kms-key-id", "arn:aws:kms:eu-central-1:1:key/k");
        assertThat(AgentArgs.backup().sse("S3", " ").build()).containsExactly("backup", "--sse", "S3");
        assertThat(AgentArgs.backup().sse(null, "k").build()).containsExactly("backup");
        assertThatThrownBy(() -> AgentArgs.backup().sse("aws:kms", null))
                .hasMessage("unknown server-side encryption 'aws:kms': use S3 or KMS");
        assertThat(ServerSideEncryption.KMS.headerValue()).isEqualTo("aws:kms");
        assertThat(ServerSideEncryption.S3.headerValue()).isEqualTo("AES256");
    }
}
