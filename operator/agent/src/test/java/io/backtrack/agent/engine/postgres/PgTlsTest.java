package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.SslMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgTlsTest {

    @Test
    void jdbcAndTheToolsAreToldTheSameModeAndFilesAndTheConninfoOverridesInheritedSettings(@TempDir Path dir)
            throws Exception {
        Path ca = dir.resolve("ca.crt");
        Files.writeString(ca, SELF_SIGNED);
        PgTarget target = new PgTarget("db", 5432, "orders", "app", "pw", PgTls.of(SslMode.VERIFY_FULL, ca, null, null));
        Properties props = new Properties();
        target.tls().addTo(props);
        assertThat(props).containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", ca.toString());
        assertThat(target.toolDbnameArgument()).isEqualTo("--dbname=host='db' port='5432' user='app' dbname='orders'"
                + " sslmode='verify-full' sslrootcert='" + ca + "'");
        assertThat(new PgTarget("db", 5432, "orders", "app", "pw").toolDbnameArgument()).endsWith(" sslmode='prefer'");
    }

    @Test
    void aCombinationLibpqAndJdbcWouldTreatDifferentlyIsRefused(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), SELF_SIGNED);
        assertThatThrownBy(() -> PgTls.of(SslMode.VERIFY_CA, null, null, null))
                .hasMessageContaining("--sslmode verify-ca needs --sslrootcert");
        assertThatThrownBy(() -> PgTls.of(SslMode.REQUIRE, ca, null, null))
                .hasMessageContaining("--sslrootcert is only used with --sslmode verify-ca or verify-full, not require");
        assertThatThrownBy(() -> PgTls.of(SslMode.DISABLE, null, ca, ca))
                .hasMessageContaining("--sslcert needs TLS");
    }

    @Test
    void aFileThatIsNotWhatItShouldBeIsDatabaseTlsFailedNamingIt(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.crt"), "not a certificate");
        assertThatThrownBy(() -> PgTls.of(SslMode.VERIFY_FULL, garbage, null, null))
                .isInstanceOfSatisfying(AgentFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.DatabaseTlsFailed))
                .hasMessageContaining(garbage.toString());
        Path ca = Files.writeString(dir.resolve("real.crt"), SELF_SIGNED);
        Path noKey = Files.writeString(dir.resolve("client.key"), SELF_SIGNED);
        assertThatThrownBy(() -> PgTls.of(SslMode.REQUIRE, null, ca, noKey))
                .isInstanceOfSatisfying(AgentFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.DatabaseTlsFailed))
                .hasMessageContaining(noKey + " holds no PEM private key");
        assertThatThrownBy(() -> PgTls.of(SslMode.REQUIRE, null, ca, dir.resolve("missing.key")))
                .hasMessageContaining("missing.key does not exist");
    }

    /** A self-signed EC certificate (CN=t), only ever parsed. */
    static final String SELF_SIGNED = """
            -----BEGIN CERTIFICATE-----
            MIIBbTCCAROgAwIBAgIUR762bHjyCODD56s779wNLQukkuEwCgYIKoZIzj0EAwIw
            DDEKMAgGA1UEAwwBdDAeFw0yNjEyMDYwMzM4NTFaFw0zNjEyMDMwMzM4NTFaMAwx
            CjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATF1+6crE263zUe
            pVlN+UE/ZzxhUQWLVmHqBEoJnQZkeOTJ1UzmQNIxkIojp2PJUT6L99MMeTzzsysM
            lIdloFyno1MwUTAdBgNVHQ4EFgQU4Wbw9RttAAY8ru8QMcGAlewQ43EwHwYDVR0j
            BBgwFoAU4Wbw9RttAAY8ru8QMcGAlewQ43EwDwYDVR0TAQH/BAUwAwEB/zAKBggq
            hkjOPQQDAgNIADBFAiAQ7tn78qkaQT87JN4FXSjbn6g5wL1ZEdL4+dkTgw7m8wIh
            AMo95vtAXs+lw0xZRWQdtoMUS0DW8f0YJ+2RCrvBI4jV
            -----END CERTIFICATE-----
            """;
}
