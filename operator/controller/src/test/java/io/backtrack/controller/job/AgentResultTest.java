package io.backtrack.controller.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentResultTest {

    @Test
    void readsASuccess() {
        AgentResult r = AgentResult.parse("{\"ok\":true,\"sha256\":\"abc\",\"sizeBytes\":42,\"durationSeconds\":1.5}\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.text("sha256")).isEqualTo("abc");
        assertThat(r.longValue("sizeBytes")).isEqualTo(42L);
        assertThat(r.doubleValue("durationSeconds")).isEqualTo(1.5);
    }

    @Test
    void readsAFailureReasonAndMessage() {
        AgentResult r = AgentResult.parse("{\"ok\":false,\"reason\":\"BucketNotFound\",\"message\":\"bucket b does not exist at http://x\"}");
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isEqualTo("BucketNotFound");
        assertThat(r.message()).isEqualTo("bucket b does not exist at http://x");
    }

    @Test
    void aLogFallbackIsNeverQuoted() {
        // FallbackToLogsOnError: the kubelet puts the log's tail where the result should be; it can carry row data.
        AgentResult r = AgentResult.parse("starting\nERROR: duplicate key value violates unique constraint\n"
                + "DETAIL: Key (email)=(alice@example.com) already exists.\n");
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isNull();
        assertThat(r.message()).isNull();
        assertThat(r.fields().toString()).doesNotContain("alice");
    }

    @Test
    void theAgentsResultOnTheLastLineOfALogFallbackIsRead() {
        AgentResult r = AgentResult.parse("some log line\n{\"ok\":false,\"reason\":\"DumpFailed\",\"message\":\"pg_dump failed\"}\n");
        assertThat(r.reason()).isEqualTo("DumpFailed");
    }

    @Test
    void nothingAtAllIsAFailureWithoutReason() {
        AgentResult r = AgentResult.parse(null);
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isNull();
    }
}
