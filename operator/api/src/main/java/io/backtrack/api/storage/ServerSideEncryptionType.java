package io.backtrack.api.storage;

/**
 * The store's own encryption of what the agent writes: the wire values of
 * {@code io.backtrack.contract.wire.ServerSideEncryption}, spelled the same.
 */
public enum ServerSideEncryptionType {
    /** Keys managed by the store (SSE-S3, AES256). */
    S3,
    /** A KMS key (SSE-KMS). */
    KMS
}
