package io.backtrack.controller.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobNamesTest {

    @Test
    void shortNamesKeepTheOwnerNameAndAddAStableHash() {
        String name = JobNames.forOwner("shop", "orders-before-migration", "backup");
        assertThat(name).matches("orders-before-migration-[0-9a-f]{5}");
        assertThat(JobNames.forOwner("shop", "orders-before-migration", "backup")).isEqualTo(name);
    }

    @Test
    void roleAndNamespaceChangeTheHash() {
        assertThat(JobNames.forOwner("shop", "orders", "backup")).isNotEqualTo(JobNames.forOwner("shop", "orders", "cleanup"));
        assertThat(JobNames.forOwner("shop", "orders", "backup")).isNotEqualTo(JobNames.forOwner("bank", "orders", "backup"));
    }

    @Test
    void longNamesAreTruncatedToTheKubernetesLimitAndStayDistinct() {
        String base = "a".repeat(60) + "-";
        String one = JobNames.forOwner("shop", base + "one-very-long-suffix", "backup");
        String two = JobNames.forOwner("shop", base + "two-very-long-suffix", "backup");
        assertThat(one).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(two).hasSizeLessThanOrEqualTo(63);
        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void truncationNeverLeavesADashBeforeTheHash() {
        String name = JobNames.forOwner("shop", "x".repeat(56) + "-----tail", "backup");
        assertThat(name).doesNotContain("--").hasSizeLessThanOrEqualTo(63);
    }
}
