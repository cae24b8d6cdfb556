package io.backtrack.e2e.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent without a static key, taking S3 credentials from the Pod's cloud identity as the AWS SDKs do, each
 * source played by a loopback server of the test's: web identity (IRSA: a projected token file and a role, traded
 * at STS), container credentials (EKS Pod Identity: a token file sent to the Pod Identity Agent), and instance
 * metadata (IMDSv2). Each hands out S3Proxy's key; a backup must then go through. S3Proxy answers 501 to any
 * request carrying a session token (X-Amz-Security-Token, which AWS and MinIO take), so the container and metadata
 * sources hand out none; STS always does, so the web-identity case proves the exchange and that the agent's next
 * request went to the store carrying it.
 */
class AgentCloudIdentityTest {
    private final AgentFixture fx = AgentFixture.get();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void webIdentityTradesTheProjectedTokenAtStsForTheRolesCredentials(@TempDir Path tmp) throws IOException {
        Path token = Files.writeString(tmp.resolve("token"), "eyJ.projected.sa-token\n");
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery() + "&" + body;
            requests.add(URLDecoder.decode(query, StandardCharsets.UTF_8));
            respond(exchange, 200, "text/xml", """
                    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleWithWebIdentityResult>
                        <Credentials>
                          <AccessKeyId>%s</AccessKeyId>
                          <SecretAccessKey>%s</SecretAccessKey>
                          <SessionToken>session-token-from-sts</SessionToken>
                          <Expiration>%s</Expiration>
                        </Credentials>
                      </AssumeRoleWithWebIdentityResult>
                    </AssumeRoleWithWebIdentityResponse>""".formatted(fx.s3.accessKey(), fx.s3.secretKey(), expiry()));
        });
        AgentProcess.Outcome out = backupWith(Map.of(
                "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                "AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/backtrack-backups",
                "AWS_ENDPOINT_URL_STS", url("")));
        assertThat(out.message()).as(out.stdout() + out.stderr())
                .contains("S3 endpoint " + fx.s3.endpoint() + " does not implement what was asked while checking bucket")
                .contains("MethodNotAllowed"); // S3Proxy refuses session tokens: the request carried STS's credentials
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r)
                .contains("Action=AssumeRoleWithWebIdentity")
                .contains("RoleArn=arn:aws:iam::111122223333:role/backtrack-backups")
                .contains("WebIdentityToken=eyJ.projected.sa-token"));
        assertThat(out.stderr()).contains("web identity").doesNotContain("eyJ.projected.sa-token")
                .doesNotContain(fx.s3.secretKey());
    }

    @Test
    void eksPodIdentitySendsTheRotatedTokenFileToTheAgentsEndpoint(@TempDir Path tmp) throws IOException {
        Path token = Files.writeString(tmp.resolve("eks-pod-identity-token"), "pod-identity-token\n");
        server.createContext("/v1/credentials", exchange -> {
            requests.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            respond(exchange, 200, "application/json", """
                    {"AccessKeyId": "%s", "SecretAccessKey": "%s",
                     "AccountId": "111122223333", "Expiration": "%s"}""".formatted(fx.s3.accessKey(),
                    fx.s3.secretKey(), expiry()));
        });
        AgentProcess.Outcome out = backupWith(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/v1/credentials"),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.toString()));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r).isEqualTo("pod-identity-token"));
    }

    @Test
    void instanceMetadataIsTheLastSourceAndUsesASessionToken() {
        server.createContext("/latest/api/token", exchange -> {
            requests.add(exchange.getRequestMethod() + " token");
            respond(exchange, 200, "text/plain", "imds-session");
        });
        server.createContext("/latest/meta-data/iam/security-credentials/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add("GET " + path + " " + exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"));
            if (path.endsWith("/security-credentials/")) {
                respond(exchange, 200, "text/plain", "backtrack-node-role");
            } else {
                respond(exchange, 200, "application/json", """
                        {"Code": "Success", "AccessKeyId": "%s", "SecretAccessKey": "%s",
                         "Expiration": "%s"}""".formatted(fx.s3.accessKey(), fx.s3.secretKey(), expiry()));
            }
        });
        AgentProcess.Outcome out = backupWith(Map.of("AWS_EC2_METADATA_DISABLED", "false",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", url("")));
        assertThat(out.exitCode()).as(out.stdout() + out.stderr()).isZero();
        assertThat(requests).contains("PUT token",
                "GET /latest/meta-data/iam/security-credentials/backtrack-node-role imds-session");
    }

    @Test
    void aRefusedIdentityIsStorageAuthFailedNamingTheSourceAndNoIdentityAtAllSaysWhatToSet(@TempDir Path tmp)
            throws IOException {
        Path token = Files.writeString(tmp.resolve("token"), "stale");
        server.createContext("/v1/credentials", exchange -> respond(exchange, 403, "application/json",
                "{\"Code\": \"AccessDenied\", \"Message\": \"no association\"}"));
        AgentProcess.Outcome refused = backupWith(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/v1/credentials"),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.toString()));
        assertThat(refused.reason()).as(refused.stdout() + refused.stderr()).isEqualTo("StorageAuthFailed");
        assertThat(refused.message()).contains("container credentials from " + url("/v1/credentials"))
                .contains("HTTP 403").contains("job.serviceAccountName");

        AgentProcess.Outcome none = backupWith(Map.of());
        assertThat(none.reason()).isEqualTo("InvalidArguments");
        assertThat(none.message()).contains("no S3 credentials").contains("AWS_WEB_IDENTITY_TOKEN_FILE")
                .contains("storage.s3.credentialsSecret");

        AgentProcess.Outcome halfKey = backupWith(Map.of("AWS_ACCESS_KEY_ID", fx.s3.accessKey()));
        assertThat(halfKey.reason()).isEqualTo("InvalidArguments");
        assertThat(halfKey.message()).contains("only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    /** A backup with the environment given and no static key. */
    private AgentProcess.Outcome backupWith(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("PGPASSWORD", fx.pg.password());
        return AgentProcess.run(fx.backupArgs(AgentFixture.folder("identity")), all);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String expiry() {
        return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
