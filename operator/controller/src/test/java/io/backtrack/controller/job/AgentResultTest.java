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
    void aLogFallbackBecomesAFailureQuotingTheLastLine() {
        AgentResult r = AgentResult.parse("starting\nException in thread main: OutOfMemoryError\n");
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isNull();
        assertThat(r.message()).contains("OutOfMemoryError");
    }

    @Test
    void nothingAtAllIsAFailureWithoutReason() {
        AgentResult r = AgentResult.parse(null);
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isNull();
    }
}
