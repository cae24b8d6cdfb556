package io.backtrack.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.e2e.postgres.DatabaseFingerprint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Backups and restores against a real PostgreSQL and S3Proxy, comparing restored content with the original. */
class AgentRoundTripTest {
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    @Test
    void zstdBackupIsStockAndRestoresTheSameContent(@TempDir Path tmp) throws Exception {
        String folder = AgentFixture.folder("full");
        Path terminationLog = tmp.resolve("termination-log");
        AgentProcess.Outcome backup = fx.agent(fx.backupArgs(folder, "--description", "before the v42 migration",
                "--namespace", "shop", "--backup-name", "orders-before-migration", "--level", "5"),
                Map.of("BACKTRACK_TERMINATION_LOG", terminationLog.toString()));

        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        JsonNode r = backup.result();
        assertThat(backup.stdout().strip().lines()).hasSize(1);
        assertThat(Files.readString(terminationLog).strip()).isEqualTo(backup.stdout().strip());
        assertThat(r.get("ok").asBoolean()).isTrue();
        assertThat(r.get("key").asText()).isEqualTo(folder);
        String archiveKey = r.get("archiveKey").asText();
        assertThat(archiveKey).matches(folder + "/archive-\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.pgdump\\.zst");
        assertThat(r.get("manifestKey").asText()).isEqualTo(folder + "/manifest.json");
        assertThat(r.get("bucket").asText()).isEqualTo(AgentFixture.BUCKET);
        assertThat(r.get("compression").asText()).isEqualTo("zstd");
        assertThat(r.get("format").asText()).isEqualTo("custom");
        assertThat(r.get("serverVersion").asText()).startsWith(fx.pg.major() + ".");
        assertThat(r.get("toolVersion").asText()).contains("pg_dump (PostgreSQL) " + fx.pg.major());
        assertThat(r.get("tables").asInt()).isEqualTo(6);
        assertThat(r.get("rows").asLong()).isEqualTo(fx.sourceFingerprint.totalRows());
        assertThat(r.get("startedAt").asText()).endsWith("Z");
        assertThat(r.get("completedAt").asText()).endsWith("Z");
        assertThat(r.get("durationSeconds").asDouble()).isPositive();
        assertThat(backup.stderr()).doesNotContain(fx.pg.password()).doesNotContain(fx.s3.secretKey());

        // The stored bytes are what the result and the manifest say.
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/"))
                .containsExactly(archiveKey, folder + "/manifest.json",
                        new BackupFolder(folder).rolesKeyOf(archiveKey));
        String storedSha = fx.s3.sha256Of(AgentFixture.BUCKET, archiveKey);
        byte[] archive = fx.s3.readObject(AgentFixture.BUCKET, archiveKey);
        assertThat(r.get("sha256").asText()).isEqualTo(storedSha);
        assertThat(r.get("sizeBytes").asLong()).isEqualTo(archive.length);
        JsonNode manifest = new ObjectMapper().readTree(fx.s3.readObject(AgentFixture.BUCKET, folder + "/manifest.json"));
        assertThat(manifest.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(manifest.get("engine").asText()).isEqualTo("postgresql");
        assertThat(manifest.get("archiveKey").asText()).isEqualTo(archiveKey);
        assertThat(manifest.get("sha256").asText()).isEqualTo(storedSha);
        assertThat(manifest.get("sizeBytes").asLong()).isEqualTo(archive.length);
        assertThat(manifest.get("database").asText()).isEqualTo(AgentFixture.SOURCE_DB);
        assertThat(manifest.get("namespace").asText()).isEqualTo("shop");
        assertThat(manifest.get("backup").asText()).isEqualTo("orders-before-migration");
        assertThat(manifest.get("schedule").isNull()).isTrue();
        assertThat(manifest.get("description").asText()).isEqualTo("before the v42 migration");
        assertThat(manifest.get("compression").get("algorithm").asText()).isEqualTo("zstd");
        assertThat(manifest.get("compression").get("level").asInt()).isEqualTo(5);
        assertThat(manifest.get("scope").get("schemaOnly").asBoolean()).isFalse();
        assertThat(manifest.get("rows").asLong()).isEqualTo(fx.sourceFingerprint.totalRows());
        for (JsonNode t : manifest.get("tables")) {
            String name = t.get("schema").asText() + "." + t.get("name").asText();
            assertThat(t.get("rows").asLong()).as(name).isEqualTo(fx.sourceFingerprint.rowCounts().get(name));
        }

        // Stock tools read it: zstd -d | pg_restore -l, no Backtrack code involved.
        Path file = tmp.resolve("archive.pgdump.zst");
        Files.write(file, archive);
        String toc = shell("zstd -d -c " + file + " | pg_restore -l");
        assertThat(toc).contains("TABLE DATA public customers").contains("TABLE DATA billing invoices");

        // Restore into a new database: same content, verified row counts.
        String newDb = fx.pg.uniqueDatabaseName("restored");
        AgentProcess.Outcome restore = fx.agent(fx.restoreArgs(folder, newDb),
                Map.of("BACKTRACK_TERMINATION_LOG", terminationLog.toString()));
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
        JsonNode rr = restore.result();
        assertThat(Files.readString(terminationLog).strip()).isEqualTo(restore.stdout().strip());
        assertThat(rr.get("archiveVerified").asBoolean()).isTrue();
        assertThat(rr.get("database").asText()).isEqualTo(newDb);
        assertThat(rr.get("tables").asInt()).isEqualTo(6);
        assertThat(rr.get("rowsExpected").asLong()).isEqualTo(fx.sourceFingerprint.totalRows());
        assertThat(rr.get("rowsRestored").asLong()).isEqualTo(fx.sourceFingerprint.totalRows());
        assertThat(rr.get("mismatches")).isEmpty();
        assertThat(DatabaseFingerprint.of(fx.pg, newDb)).isEqualTo(fx.sourceFingerprint);
        // Sequences came back too: the next identity value continues after the restored rows.
        fx.pg.execute(newDb, "INSERT INTO public.products (sku, price) VALUES ('NEW', 1)");
        fx.pg.dropDatabase(newDb);

        AgentProcess.Outcome verify = fx.agent(fx.storageCommand("verify", "--key", folder));
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.result().get("archiveVerified").asBoolean()).isTrue();
        assertThat(verify.result().get("sha256").asText()).isEqualTo(storedSha);
        assertThat(verify.result().get("sizeBytes").asLong()).isEqualTo(archive.length);
        assertThat(verify.result().get("archiveKey").asText()).isEqualTo(archiveKey);
    }

    @ParameterizedTest
    @CsvSource({"gzip,.pgdump.gz,gzip -d -c", "none,.pgdump,cat"})
    void otherCompressionsRoundTrip(String compression, String suffix, String decompress, @TempDir Path tmp)
            throws Exception {
        String folder = fx.backup(compression, "--compression", compression);
        String archiveKey = fx.archiveKey(folder);
        assertThat(archiveKey).endsWith(suffix);
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/"))
                .containsExactly(archiveKey, folder + "/manifest.json",
                        new BackupFolder(folder).rolesKeyOf(archiveKey));
        Path file = tmp.resolve("archive" + suffix);
        Files.write(file, fx.s3.readObject(AgentFixture.BUCKET, archiveKey));
        assertThat(shell(decompress + " " + file + " | pg_restore -l")).contains("TABLE DATA public orders");

        String newDb = fx.pg.uniqueDatabaseName(compression);
        AgentProcess.Outcome restore = fx.agent(fx.restoreArgs(folder, newDb));
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
        assertThat(DatabaseFingerprint.of(fx.pg, newDb)).isEqualTo(fx.sourceFingerprint);
        fx.pg.dropDatabase(newDb);
    }

    @Test
    void partialBackupHoldsOnlyTheSelectedTables() {
        // A self-contained set (invoices → orders → customers): a foreign key to a table left out cannot be restored.
        String folder = fx.backup("partial", "--table", "public.customers", "--table", "orders", "--table", "invoices");
        String newDb = fx.pg.uniqueDatabaseName("partial");
        AgentProcess.Outcome restore = fx.agent(fx.restoreArgs(folder, newDb));
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
        assertThat(restore.result().get("tables").asInt()).isEqualTo(3);

        DatabaseFingerprint restored = DatabaseFingerprint.of(fx.pg, newDb);
        assertThat(restored.rowCounts().keySet()).isEqualTo(Set.of("public.customers", "public.orders", "billing.invoices"));
        for (String table : restored.contentHashes().keySet()) {
            assertThat(restored.contentHashes().get(table)).as(table)
                    .isEqualTo(fx.sourceFingerprint.contentHashes().get(table));
        }
        fx.pg.dropDatabase(newDb);
    }

    @Test
    void schemaAndExcludeSelectWholeSchemasMinusTables() {
        String folder = fx.backup("schema", "--schema", "public", "--exclude-table", "order_items");
        String newDb = fx.pg.uniqueDatabaseName("schema");
        AgentProcess.Outcome restore = fx.agent(fx.restoreArgs(folder, newDb));
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
        assertThat(DatabaseFingerprint.of(fx.pg, newDb).rowCounts().keySet())
                .isEqualTo(Set.of("public.customers", "public.products", "public.orders"));
        fx.pg.dropDatabase(newDb);
    }

    @Test
    void schemaOnlyBackupRestoresEmptyTables() {
        String folder = fx.backup("schema-only", "--schema-only");
        String newDb = fx.pg.uniqueDatabaseName("schemaonly");
        AgentProcess.Outcome restore = fx.agent(fx.restoreArgs(folder, newDb));
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
        assertThat(restore.result().get("rowsExpected").asLong()).isZero();
        DatabaseFingerprint restored = DatabaseFingerprint.of(fx.pg, newDb);
        assertThat(restored.rowCounts().keySet()).isEqualTo(fx.sourceFingerprint.rowCounts().keySet());
        assertThat(restored.totalRows()).isZero();
        fx.pg.dropDatabase(newDb);
    }

    /** Runs a pipeline; its status is the last command's (pg_restore -l stops reading early, so no pipefail). */
    static String shell(String command) throws Exception {
        Process p = new ProcessBuilder(List.of("bash", "-c", command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command + ": " + out).isZero();
        return out;
    }
}
