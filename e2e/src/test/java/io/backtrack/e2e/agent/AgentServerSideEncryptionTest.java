package io.backtrack.e2e.agent;

import io.backtrack.agent.storage.MultipartWriter;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.CredentialSource;
import io.backtrack.agent.storage.S3Location;
import io.backtrack.agent.storage.StorageTimeouts;
import io.backtrack.contract.wire.ServerSideEncryption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --sse: every object the agent writes asks the store for server-side encryption in its S3 request headers; a store
 * that does not implement it (S3Proxy) refuses at once, with a message that says so, and no backup is left behind.
 */
class AgentServerSideEncryptionTest {
    private static final String KEY = "arn:aws:kms:eu-central-1:111122223333:key/backtrack-e2e";
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    private static S3Location stubLocation(StubS3Server stub, ServerSideEncryption sse, String kmsKeyId) {
        return new S3Location(stub.endpoint(), "sse-stub", "us-east-1",
                CredentialSource.staticKey("stub-access", "stub-secret", null), null, false, StorageTimeouts.defaults(),
                sse, kmsKeyId);
    }

    @Test
    void aMultipartArchiveAndASmallObjectBothAskForTheKmsKey() throws Exception {
        try (StubS3Server stub = StubS3Server.start(null)) {
            try (ObjectStore store = new ObjectStore(stubLocation(stub, ServerSideEncryption.KMS, KEY))) {
                byte[] mib = new byte[1024 * 1024];
                try (MultipartWriter out = store.openUpload("f/archive.pgdump", "application/octet-stream", 0)) {
                    for (int i = 0; i < 24; i++) {
                        out.write(mib, 0, mib.length);
                    }
                }
                store.putIfAbsent("f/manifest.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            }
            try (ObjectStore store = new ObjectStore(stubLocation(stub, ServerSideEncryption.S3, null))) {
                store.putIfAbsent("f/sse-s3.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            }
            try (ObjectStore store = new ObjectStore(stubLocation(stub, null, null))) {
                store.putIfAbsent("f/plain.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            }
            assertThat(stub.object("sse-stub/f/archive.pgdump").partSizes()).as("a multipart upload").hasSizeGreaterThan(1);
            assertThat(stub.encryptionOf("sse-stub/f/archive.pgdump")).isEqualTo("aws:kms " + KEY);
            assertThat(stub.encryptionOf("sse-stub/f/manifest.json")).isEqualTo("aws:kms " + KEY);
            assertThat(stub.encryptionOf("sse-stub/f/sse-s3.json")).isEqualTo("AES256");
            assertThat(stub.encryptionOf("sse-stub/f/plain.json")).isNull();
        }
    }

    @Test
    void aStoreWithoutServerSideEncryptionRefusesAtOnceAndNoBackupIsLeft() {
        String folder = AgentFixture.folder("sse-refused");
        List<String> args = new ArrayList<>(fx.backupArgs(folder));
        args.addAll(List.of("--sse", "KMS", "--sse-kms-key-id", KEY));
        long start = System.nanoTime();

        var out = fx.agent(args);

        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
        assertThat(out.reason()).isEqualTo("InvalidArguments");
        assertThat(out.message()).contains("does not implement").contains("server-side encryption (KMS)")
                .contains("remove storage.s3.sse");
        assertThat((System.nanoTime() - start) / 1e9).as("not retried as if the store were busy").isLessThan(20);
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, folder + "/")).isEmpty();
    }

    @Test
    void aKmsKeyWithoutKmsOrAnUnknownTypeIsAUsageMistake() {
        var keyAlone = fx.agent(fx.storageCommand("probe", "--sse-kms-key-id", KEY));
        assertThat(keyAlone.exitCode()).isEqualTo(1);
        assertThat(keyAlone.reason()).isEqualTo("InvalidArguments");
        assertThat(keyAlone.message()).isEqualTo("--sse-kms-key-id needs --sse KMS");

        var unknown = fx.agent(fx.storageCommand("probe", "--sse", "aws:kms"));
        assertThat(unknown.reason()).isEqualTo("InvalidArguments");
        assertThat(unknown.message()).isEqualTo("unknown server-side encryption 'aws:kms': use S3 or KMS");
    }
}
