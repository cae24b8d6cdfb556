package io.backtrack.contract.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backtrack.contract.wire.RestoreStep;
import io.backtrack.contract.wire.RestoreStrategy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The result line stays what DESIGN.md §7 says: one line of JSON, under 4 KiB, ok first, reason and message. */
class ResultLineTest {
    private final ObjectMapper json = new ObjectMapper();

    static BackupResult backup() {
        return new BackupResult("prod/shop/orders", "prod/shop/orders/manifest.json",
                "prod/shop/orders/archive-20261122T020000Z-1a2b3c4d.pgdump.zst", "db-backups", "9f86d081", 48213L,
                "zstd", 1, "custom", "orders", "16.4", "pg_dump (PostgreSQL) 16.4", 42, 1234567L, null, null, 3,
                "2026-11-22T02:00:00Z", "2026-11-22T02:00:12.400Z", 12.4, null, null);
    }

    @Test
    void aDiscoveryResultRoundTripsAndSaysWhetherItFitsUnshrunk() {
        ProbeResult.FoundBackup found = new ProbeResult.FoundBackup("prod/shop/orders-1",
                "archive-20261122T020000Z-1a2b3c4d.pgdump.zst.age", "ab".repeat(32), 48230L, "zstd", "age",
                List.of("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"), "custom", "orders", "shop",
                "orders-1", "orders-nightly", "nightly", "16.4", 12, 4321L, null, "2026-11-22T02:00:00Z",
                "2026-11-22T02:00:41Z");
        ProbeResult result = new ProbeResult("db-backups", "prod", 3, 100L, 9, 1,
                List.of(new ProbeResult.SkippedFolder("prod/shop/killed", ProbeResult.SkippedFolder.NO_MANIFEST)),
                List.of(found), 0, 1.5);
        ResultLine line = ResultLine.success(result);
        assertThat(line.fits()).isTrue();
        ProbeResult read = ResultLine.parse(line.toJson()).as(ProbeResult.class);
        assertThat(read).isEqualTo(result);
        assertThat(read.found().get(0).archiveKey())
                .isEqualTo("prod/shop/orders-1/archive-20261122T020000Z-1a2b3c4d.pgdump.zst.age");
        assertThat(line.toJson()).doesNotContain("\"archiveKey\"");

        List<ProbeResult.FoundBackup> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(found);
        }
        assertThat(ResultLine.success(new ProbeResult("db-backups", "prod", 3, 100L, 9, 0, List.of(), many, 0, 1.5))
                .fits()).as("shrinking would drop found backups the count does not know of").isFalse();
    }

    @Test
    void aSuccessIsOkFirstThenTheFieldsInTheirOrderWithoutEmptyOnes() {
        String line = ResultLine.success(backup()).toJson();
        assertThat(line).startsWith("{\"ok\":true,\"key\":\"prod/shop/orders\",\"manifestKey\":")
                .contains("\"sizeBytes\":48213,\"compression\":\"zstd\",\"compressionLevel\":1,")
                .endsWith(",\"durationSeconds\":12.4}")
                .doesNotContain("largeObjects").doesNotContain("null").doesNotContain("\n");
        ResultLine read = ResultLine.parse(line + "\n");
        assertThat(read.ok()).isTrue();
        assertThat(read.as(BackupResult.class)).isEqualTo(backup());
    }

    @Test
    void aFailureHasReasonAndMessageAndTheResultSoFar() throws Exception {
        RestoreResult soFar = new RestoreResult.Builder(RestoreStep.COMPARE, RestoreStrategy.SWAP)
                .counts(2, 21, 20L, List.of(new RowCountMismatch("public", "customers", 11L, 10L)))
                .verified(false, null).build();
        String line = ResultLine.failure(Reason.VerificationFailed, "1 table(s) have different row counts", soFar).toJson();
        assertThat(line).startsWith("{\"ok\":false,\"reason\":\"VerificationFailed\",\"message\":\"1 table(s) have");
        JsonNode node = json.readTree(line);
        assertThat(node.get("step").asText()).isEqualTo("compare");
        ResultLine read = ResultLine.parse(line);
        assertThat(read.isReportedFailure()).isTrue();
        assertThat(read.knownReason()).contains(Reason.VerificationFailed);
        assertThat(read.message()).isEqualTo("1 table(s) have different row counts");
        RestoreResult counts = read.as(RestoreResult.class);
        assertThat(counts.rowsExpected()).isEqualTo(21L);
        assertThat(counts.mismatches()).containsExactly(new RowCountMismatch("public", "customers", 11L, 10L));
        assertThat(counts.mismatchesTruncated()).isNull();
    }

    @Test
    void manyMismatchesStayValidJsonUnderFourKiBAndSayTheyWereTruncated() throws Exception {
        List<RowCountMismatch> mismatches = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            mismatches.add(new RowCountMismatch("public", "table_with_a_long_name_" + i, (long) i, i + 1L));
        }
        RestoreResult soFar = new RestoreResult.Builder(RestoreStep.COMPARE, RestoreStrategy.NEW_DATABASE)
                .counts(500, 124750, 125250L, mismatches).verified(false, null).build();
        String line = ResultLine.failure(Reason.VerificationFailed, "500 table(s) have different row counts", soFar)
                .toJson();
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResultLine.MAX_BYTES);
        assertThat(line).doesNotContain("\n");
        json.readTree(line); // valid JSON
        RestoreResult read = ResultLine.parse(line).as(RestoreResult.class);
        assertThat(read.mismatchesTruncated()).isTrue();
        assertThat(read.mismatches()).hasSizeBetween(1, 499).startsWith(mismatches.get(0));
        assertThat(read.tables()).isEqualTo(500);
        assertThat(read.rowsExpected()).isEqualTo(124750L);
    }

    @Test
    void hugeMessagesAreCutBelowFourKiB() throws Exception {
        String message = "pg_dump: error: ".repeat(2000) + "\nline two";
        String line = ResultLine.failure(Reason.DumpFailed, message, null).toJson();
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResultLine.MAX_BYTES);
        assertThat(line).doesNotContain("\n");
        assertThat(json.readTree(line).get("reason").asText()).isEqualTo("DumpFailed");
        assertThat(json.readTree(line).get("message").asText()).hasSizeLessThanOrEqualTo(1500).endsWith("…");
    }

    @Test
    void aLogFallbackIsNeverQuoted() {
        // FallbackToLogsOnError: the kubelet puts the log's tail where the result should be; it can carry row data.
        ResultLine r = ResultLine.parse("starting\nERROR: duplicate key value violates unique constraint\n"
                + "DETAIL: Key (email)=(alice@example.com) already exists.\n");
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isNull();
        assertThat(r.message()).isNull();
        assertThat(r.isReportedFailure()).isFalse();
        assertThat(r.toJson()).doesNotContain("alice");
        assertThat(r.as(RestoreResult.class).mismatches()).isNull();
    }

    @Test
    void theAgentsResultOnTheLastLineOfALogFallbackIsRead() {
        ResultLine r = ResultLine.parse("some log line\n{\"ok\":false,\"reason\":\"DumpFailed\",\"message\":\"pg_dump failed\"}\n");
        assertThat(r.reason()).isEqualTo("DumpFailed");
        assertThat(r.isReportedFailure()).isTrue();
        assertThat(ResultLine.parse(null).ok()).isFalse();
        assertThat(ResultLine.parse(null).reason()).isNull();
    }

    @Test
    void aReasonANewerAgentKnowsIsKeptAsItIs() {
        ResultLine r = ResultLine.parse("{\"ok\":false,\"reason\":\"QuantumDecoherence\",\"message\":\"no key\",\"extra\":1}");
        assertThat(r.reason()).isEqualTo("QuantumDecoherence");
        assertThat(r.knownReason()).isEmpty();
        assertThat(r.as(VerifyResult.class).key()).isNull();
    }

    @Test
    void everyResultRoundTrips() {
        List<Object> results = List.of(backup(),
                new VerifyResult("k", "k/archive.pgdump.zst", "b", "9f86", 10L, 40L, true, "orders",
                        "2026-11-22T02:00:12Z", 0.4, null, null),
                new VerifyResult("k", "k/archive.pgdump.zst.age", "b", "9f86", 10L, null, true, "orders",
                        "2026-11-22T02:00:12Z", 0.4, "age", false),
                new BackupResult("k", "k/manifest.json", "k/archive-20261122T020000Z-1a2b3c4d.pgdump.zst.age", "b",
                        "9f86", 10L, "zstd", 1, "custom", "orders", "16.4", "pg_dump (PostgreSQL) 16.4", 3, 30L, null,
                        null, 1, "2026-11-22T02:00:00Z", "2026-11-22T02:00:01Z", 1.0, "age",
                        List.of("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p")),
                new DeleteResult("k", "b", 2, 12345L),
                new DrillResult.Builder("orders_drill_20261122t031500z")
                        .restored(new RestoreResult.Builder(RestoreStep.ALL, RestoreStrategy.NEW_DATABASE)
                                .archive("k", "k/a.pgdump.zst", "b", "9f86", 10).archiveVerified(null)
                                .counts(3, 30, 30L, List.of()).build())
                        .recoverySeconds(4.2).checks(List.of(new DrillCheckResult("orders", "> 0", true, "12", null)))
                        .scratchKept(false).times("2026-11-22T03:15:00Z", "2026-11-22T03:15:05Z", 5.0).build(),
                new RestoreResult.Builder(RestoreStep.CHECK, RestoreStrategy.IN_PLACE)
                        .archive("k", "k/a.pgdump.zst", "b", "9f86", 10).database("orders")
                        .source("orders", "16.4").versions("16.4", "pg_restore (PostgreSQL) 16.4")
                        .inPlaceCheck(120, List.of("public.audit_log"), 1).archiveVerified(40L).inScope(3, 30)
                        .times("2026-11-22T03:15:00Z", "2026-11-22T03:15:05Z", 5.0).build(),
                new ProbeResult("db-backups", "prod", 412, 89234567890L, 1240, 1.2));
        for (Object result : results) {
            assertThat(ResultLine.parse(ResultLine.success(result).toJson()).as(result.getClass()))
                    .as(result.getClass().getSimpleName()).isEqualTo(result);
        }
    }
}
