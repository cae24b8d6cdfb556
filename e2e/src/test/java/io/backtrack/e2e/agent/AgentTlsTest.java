package io.backtrack.e2e.agent;

import io.backtrack.e2e.postgres.DatabaseFingerprint;
import io.backtrack.e2e.postgres.PostgresServer;
import io.backtrack.e2e.postgres.SampleData;
import io.backtrack.e2e.s3.S3Server;
import io.backtrack.e2e.tls.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent over TLS both ways, against a PostgreSQL server that accepts TLS connections only and an S3Proxy
 * answering HTTPS, both with certificates of a test CA: verify-full with a client certificate (the role logs in by
 * certificate alone, so JDBC and pg_dump/pg_restore must both present it), the store trusted through the extra CA
 * bundle and addressed virtual-host style; and each certificate problem failing with its reason, naming it.
 *
 * <p>Host names: the agent's JVM resolves through a hosts file of the test's ({@code jdk.net.hosts.file}) that knows
 * {@code tls-e2e.s3.test} (the bucket's virtual host) and {@code localhost}, but not {@code s3.test} itself, so a
 * path-style request there cannot succeed.
 */
class AgentTlsTest {
    private static final String BUCKET = "tls-e2e";
    private static final String DB = "shop";
    private static final String CERT_USER = "backtrack";

    private static Path dir;
    private static PostgresServer pg;
    private static S3Server s3;
    private static Path ca;
    private static Path otherCa;
    private static TestCa.Issued client;
    private static Path hosts;
    private static DatabaseFingerprint source;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("backtrack-tls-");
        TestCa testCa = TestCa.create("Backtrack test CA");
        ca = testCa.writeCertificate(dir.resolve("ca.crt"));
        otherCa = TestCa.create("Someone else's CA").writeCertificate(dir.resolve("other-ca.crt"));
        TestCa.Issued pgCert = testCa.issue("postgres", List.of("pg.test"), List.of("127.0.0.1"), dir, false);
        // SEC1 ("EC PRIVATE KEY"), as openssl ecparam writes it: the agent turns it into what JDBC reads.
        client = testCa.issue(CERT_USER, List.of(), List.of(), dir, true);
        TestCa.Issued s3Cert = testCa.issue("s3", List.of("s3.test", "*.s3.test"), List.of("127.0.0.1"), dir, false);
        pg = PostgresServer.startWithTls(new PostgresServer.Tls(pgCert.certificate(), pgCert.key(), ca, CERT_USER));
        pg.createDatabase(DB);
        SampleData.load(pg, DB);
        source = DatabaseFingerprint.of(pg, DB);
        s3 = S3Server.startWithTls(testCa.writeKeystore(s3Cert, dir.resolve("s3.p12"), "changeit"), "changeit",
                "s3.test");
        s3.createBucket(BUCKET);
        hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.0.1 " + BUCKET + ".s3.test\n");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.stop();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void verifyFullWithAClientCertificateAndAPrivateCaRoundTripsVirtualHostStyle() {
        String folder = AgentFixture.folder("tls");
        List<String> tls = List.of("--sslmode", "verify-full", "--sslrootcert", ca.toString(),
                "--sslcert", client.certificate().toString(), "--sslkey", client.key().toString());
        AgentProcess.Outcome backup = agent(args("backup", "127.0.0.1", DB, tls, storage(true), "--key", folder));
        assertThat(backup.exitCode()).as(backup.stdout() + backup.stderr()).isZero();
        assertThat(backup.result().get("rows").asLong()).isEqualTo(source.totalRows());
        assertThat(s3.listKeys(BUCKET, folder + "/")).contains(folder + "/manifest.json");

        String restored = pg.uniqueDatabaseName("tls_restored");
        AgentProcess.Outcome restore = agent(args("restore", "127.0.0.1", restored, tls, storage(true), "--key",
                folder, "--strategy", "newDatabase"));
        assertThat(restore.exitCode()).as(restore.stdout() + restore.stderr()).isZero();
        assertThat(DatabaseFingerprint.of(pg, restored)).isEqualTo(source);
    }

    @Test
    void verifyCaDoesNotCompareTheHostNameAndVerifyFullRefusesACertificateForAnotherHost() {
        List<String> caOnly = List.of("--sslmode", "verify-ca", "--sslrootcert", ca.toString());
        AgentProcess.Outcome ok = agent(args("backup", "localhost", DB, caOnly, storage(true), "--key",
                AgentFixture.folder("verify-ca")), Map.of("PGPASSWORD", pg.password()));
        assertThat(ok.exitCode()).as(ok.stdout() + ok.stderr()).isZero();

        AgentProcess.Outcome wrongHost = agent(args("backup", "localhost", DB,
                List.of("--sslmode", "verify-full", "--sslrootcert", ca.toString()), storage(true), "--key",
                AgentFixture.folder("wrong-host")), Map.of("PGPASSWORD", pg.password()));
        assertThat(wrongHost.exitCode()).isEqualTo(1);
        assertThat(wrongHost.reason()).isEqualTo("DatabaseTlsFailed");
        assertThat(wrongHost.message()).contains("localhost:" + pg.port()).contains("verify-full")
                .contains("does not name the host");
    }

    @Test
    void aServerCertificateOfAnUnknownCaFailsWithDatabaseTlsFailed() {
        AgentProcess.Outcome out = agent(args("backup", "127.0.0.1", DB,
                List.of("--sslmode", "verify-full", "--sslrootcert", otherCa.toString()), storage(true), "--key",
                AgentFixture.folder("unknown-ca")), Map.of("PGPASSWORD", pg.password()));
        assertThat(out.exitCode()).isEqualTo(1);
        assertThat(out.reason()).isEqualTo("DatabaseTlsFailed");
        assertThat(out.message()).contains("not signed by a trusted CA");
    }

    @Test
    void theStoresCertificateMustChainToTheCaBundleAndNameTheEndpointsHost() {
        List<String> noClientCert = List.of("--sslmode", "verify-full", "--sslrootcert", ca.toString());
        Map<String, String> password = Map.of("PGPASSWORD", pg.password());
        List<String> untrusted = List.of("--endpoint", "https://127.0.0.1:" + s3.tlsPort(), "--bucket", BUCKET);
        AgentProcess.Outcome unknownCa = agent(args("backup", "127.0.0.1", DB, noClientCert, untrusted, "--key",
                AgentFixture.folder("s3-unknown-ca")), password);
        assertThat(unknownCa.reason()).as(unknownCa.stdout() + unknownCa.stderr()).isEqualTo("StorageTlsFailed");
        assertThat(unknownCa.message()).contains("https://127.0.0.1:" + s3.tlsPort())
                .contains("not signed by a trusted CA").contains("storage.s3.caSecret");

        List<String> otherHost = List.of("--endpoint", "https://localhost:" + s3.tlsPort(), "--bucket", BUCKET,
                "--storage-ca-file", ca.toString());
        AgentProcess.Outcome wrongHost = agent(args("backup", "127.0.0.1", DB, noClientCert, otherHost, "--key",
                AgentFixture.folder("s3-wrong-host")), password);
        assertThat(wrongHost.reason()).as(wrongHost.stdout() + wrongHost.stderr()).isEqualTo("StorageTlsFailed");
        assertThat(wrongHost.message()).contains("does not name the host").contains("localhost");
    }

    @Test
    void aProbeOfAStoreWithAnUntrustedCertificateSaysStorageTlsFailedAndATrustedOneWorks() {
        // What a BackupStorage's Available condition reports: the probe Job's reason.
        List<String> untrusted = List.of("probe", "--endpoint", "https://127.0.0.1:" + s3.tlsPort(), "--bucket",
                BUCKET, "--prefix", "tls-probe");
        AgentProcess.Outcome refused = agent(untrusted);
        assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(1);
        assertThat(refused.reason()).isEqualTo("StorageTlsFailed");
        assertThat(refused.message()).contains("not signed by a trusted CA").contains("storage.s3.caSecret");

        List<String> trusted = new ArrayList<>(List.of("probe", "--prefix", "tls-probe"));
        trusted.addAll(storage(true));
        AgentProcess.Outcome ok = agent(trusted);
        assertThat(ok.exitCode()).as(ok.stdout() + ok.stderr()).isZero();
        assertThat(ok.result().get("bucket").asText()).isEqualTo(BUCKET);
    }

    @Test
    void pathStyleIsTheDefaultAndGoesToTheEndpointsOwnHost() {
        // s3.test itself is not in the hosts file: only a request addressed to the bucket's virtual host resolves.
        List<String> pathStyle = new ArrayList<>(storage(false));
        AgentProcess.Outcome out = agent(args("backup", "127.0.0.1", DB,
                List.of("--sslmode", "verify-full", "--sslrootcert", ca.toString()), pathStyle, "--key",
                AgentFixture.folder("path-style")), Map.of("PGPASSWORD", pg.password()));
        assertThat(out.reason()).as(out.stdout() + out.stderr()).isEqualTo("StorageUnreachable");
        assertThat(out.message()).contains("unknown host").contains("s3.test");
    }

    private static List<String> storage(boolean virtualHost) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "https://s3.test:" + s3.tlsPort(), "--bucket",
                BUCKET, "--storage-ca-file", ca.toString()));
        if (virtualHost) {
            args.add("--virtual-host-style");
        }
        return args;
    }

    private static List<String> args(String command, String host, String db, List<String> tls, List<String> storage,
                                     String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--host", host, "--port", String.valueOf(pg.port()),
                "--dbname", db, "--username", tls.contains("--sslcert") ? CERT_USER : pg.superuser()));
        args.addAll(tls);
        args.addAll(storage);
        args.addAll(List.of(extra));
        return args;
    }

    private static AgentProcess.Outcome agent(List<String> args) {
        return agent(args, Map.of());
    }

    private static AgentProcess.Outcome agent(List<String> args, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
                "JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts));
        env.putAll(extra);
        return AgentProcess.run(args, env);
    }
}
