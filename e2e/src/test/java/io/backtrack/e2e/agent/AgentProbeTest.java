package io.backtrack.e2e.agent;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.backtrack.e2e.agent.AgentFixture.replace;
import static org.assertj.core.api.Assertions.assertThat;

/** probe: the check behind a BackupStorage's Available condition, and what it counts under a prefix. */
class AgentProbeTest {
    private static AgentFixture fx;

    @BeforeAll
    static void setUp() {
        fx = AgentFixture.get();
    }

    @Test
    void aWorkingLocationCountsItsCompletedBackupsAndLeavesNoProbeObjectBehind() {
        String prefix = AgentFixture.folder("probe");
        String folder = fx.backupInto(prefix + "/shop/nightly");
        fx.s3.writeObject(AgentFixture.BUCKET, prefix + "/shop/killed/archive-20261122T020000Z-1a2b3c4d.pgdump.zst",
                new byte[] {1, 2, 3});
        // A sibling whose name starts with the prefix is not under it.
        fx.backupInto(prefix + "-other/shop/nightly");
        // A completed backup's folder: its archive, its roles file and its manifest.
        long backupBytes = fx.s3.listKeys(AgentFixture.BUCKET, folder + "/").stream()
                .mapToLong(k -> fx.s3.readObject(AgentFixture.BUCKET, k).length).sum();

        var out = fx.agent(fx.storageCommand("probe", "--prefix", prefix + "/"));

        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(out.result().get("bucket").asText()).isEqualTo(AgentFixture.BUCKET);
        assertThat(out.result().get("prefix").asText()).isEqualTo(prefix);
        assertThat(out.result().get("backups").asInt()).isEqualTo(1);
        assertThat(out.result().get("bytes").asLong()).isEqualTo(backupBytes);
        assertThat(out.result().get("objects").asInt()).isEqualTo(4);
        assertThat(fx.s3.listKeys(AgentFixture.BUCKET, prefix + "/")).hasSize(4)
                .noneMatch(k -> k.contains(".backtrack-probe-"));
    }

    @Test
    void aMissingBucketOrWrongCredentialsSayWhichItIs() {
        var noBucket = fx.agent(replace(fx.storageCommand("probe"), "--bucket", "no-such-bucket"));
        assertThat(noBucket.exitCode()).isEqualTo(1);
        assertThat(noBucket.reason()).isEqualTo("BucketNotFound");
        assertThat(noBucket.message()).contains("no-such-bucket");

        var badSecret = fx.agent(fx.storageCommand("probe"), Map.of("AWS_SECRET_ACCESS_KEY", "wrong-secret"));
        assertThat(badSecret.exitCode()).isEqualTo(1);
        assertThat(badSecret.reason()).isEqualTo("StorageAuthFailed");
        assertThat(badSecret.message()).contains(fx.s3.endpoint());
    }

    @Test
    void aStoreThatWritesButNeverDeletesIsNotAvailable() {
        String prefix = AgentFixture.folder("probe-nodelete");
        try (FaultyS3Proxy proxy = FaultyS3Proxy.start(fx.s3.port(), r -> r.method().equals("DELETE")
                ? new FaultyS3Proxy.SlowDown() : FaultyS3Proxy.Forward.ALL)) {
            List<String> args = replace(fx.storageCommand("probe", "--prefix", prefix, "--storage-timeout", "5s"),
                    "--endpoint", proxy.endpoint());
            var out = fx.agent(args);
            assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isEqualTo(1);
            assertThat(out.reason()).isEqualTo("StorageAuthFailed");
            assertThat(out.message()).contains("could not be deleted").contains("s3:DeleteObject");
        }
    }
}
