package io.backtrack.contract.wire;

/**
 * Server-side encryption the object store applies to every object the agent writes: the agent's {@code --sse}, a
 * BackupStorage's or inline storage's {@code sse.type} (the CRD's own enum, same spellings). Passed through as the S3
 * header {@code x-amz-server-side-encryption}; KMS may name its key ({@code --sse-kms-key-id}), else the bucket's
 * default KMS key is used. Stores without server-side encryption may ignore the header.
 */
public enum ServerSideEncryption implements WireValue {
    /** Keys managed by the store (SSE-S3): {@code x-amz-server-side-encryption: AES256}. */
    S3("S3", "AES256"),
    /** A KMS key (SSE-KMS): {@code x-amz-server-side-encryption: aws:kms}. */
    KMS("KMS", "aws:kms");

    /** The S3 request header that asks for server-side encryption. */
    public static final String HEADER = "x-amz-server-side-encryption";
    /** The S3 request header naming the KMS key. */
    public static final String KMS_KEY_HEADER = "x-amz-server-side-encryption-aws-kms-key-id";

    private final String wireName;
    private final String headerValue;

    ServerSideEncryption(String wireName, String headerValue) {
        this.wireName = wireName;
        this.headerValue = headerValue;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** The value of {@link #HEADER}. */
    public String headerValue() {
        return headerValue;
    }

    public static ServerSideEncryption parse(String value) {
        return WireValue.parse(ServerSideEncryption.class, value, "server-side encryption");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
