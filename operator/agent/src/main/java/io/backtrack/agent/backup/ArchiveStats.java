package io.backtrack.agent.backup;

/** The stored archive's identity: SHA-256 and size of the bytes in the bucket. */
public record ArchiveStats(String sha256, long sizeBytes) {
}
