package io.backtrack.agent.storage;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import io.minio.credentials.IamAwsProvider;
import io.minio.credentials.StaticProvider;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialSourceTest {
    private static final OkHttpClient HTTP = new OkHttpClient();

    @Test
    void aStaticKeyComesFirstThenWebIdentityThenContainerCredentialsThenInstanceMetadata() {
        Map<String, String> all = Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "s",
                "AWS_WEB_IDENTITY_TOKEN_FILE", "/t", "AWS_ROLE_ARN", "arn:aws:iam::1:role/r",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
        CredentialSource keys = CredentialSource.fromEnvironment(all);
        assertThat(keys.fetches()).isFalse();
        assertThat(keys.provider().apply(null)).isInstanceOf(StaticProvider.class);
        assertThat(keys.provider().apply(null).fetch().accessKey()).isEqualTo("a");

        CredentialSource web = CredentialSource.fromEnvironment(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", "/t",
                "AWS_ROLE_ARN", "arn:aws:iam::1:role/r", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/"));
        assertThat(web.description()).startsWith("web identity (role arn:aws:iam::1:role/r");
        assertThat(web.provider().apply(HTTP)).isInstanceOf(IamAwsProvider.class);

        CredentialSource pod = CredentialSource.fromEnvironment(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/secrets/pods.eks.amazonaws.com/token"));
        assertThat(pod.description()).contains("http://169.254.170.23/v1/credentials");
        CredentialSource ecs = CredentialSource.fromEnvironment(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x?id=1"));
        assertThat(ecs.description()).contains("http://169.254.170.2/v2/x?id=1");

        assertThat(CredentialSource.fromEnvironment(Map.of("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"))
                .description()).startsWith("instance metadata (169.254.169.254)");
    }

    @Test
    void theAwsCliProfileComesAfterWebIdentityAndBeforeContainerCredentials(@org.junit.jupiter.api.io.TempDir
                                                                                java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("credentials"),
                "[default]\naws_access_key_id = d\naws_secret_access_key = ds\n[ops]\naws_access_key_id = o\n"
                        + "aws_secret_access_key = os\n");
        CredentialSource ops = CredentialSource.fromEnvironment(Map.of("AWS_SHARED_CREDENTIALS_FILE", file.toString(),
                "AWS_PROFILE", "ops", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials"));
        assertThat(ops.description()).isEqualTo("profile ops of " + file);
        assertThat(ops.provider().apply(null).fetch().accessKey()).isEqualTo("o");
        assertThat(CredentialSource.fromEnvironment(Map.of("AWS_SHARED_CREDENTIALS_FILE", file.toString(),
                "AWS_WEB_IDENTITY_TOKEN_FILE", "/t", "AWS_ROLE_ARN", "r")).description()).startsWith("web identity");
        assertThat(CredentialSource.fromEnvironment(Map.of("AWS_SHARED_CREDENTIALS_FILE",
                dir.resolve("none").toString())).description()).startsWith("instance metadata");
    }

    @Test
    void aHalfSetSourceFailsAtOnceSayingWhatIsMissing() {
        assertThatThrownBy(() -> CredentialSource.fromEnvironment(Map.of("AWS_SECRET_ACCESS_KEY", "s")))
                .isInstanceOfSatisfying(AgentFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.InvalidArguments))
                .hasMessageContaining("only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> CredentialSource.fromEnvironment(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")))
                .hasMessageContaining("AWS_ROLE_ARN is not");
        assertThatThrownBy(() -> CredentialSource.fromEnvironment(Map.of("AWS_EC2_METADATA_DISABLED", "TRUE",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")))
                .hasMessageContaining("no S3 credentials");
    }

    @Test
    void aTokenIsSentInClearTextOnlyToLoopbackOrTheAwsAgentsAddresses() {
        assertThatThrownBy(() -> CredentialSource.fromEnvironment(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/creds")))
                .hasMessageContaining("10.1.2.3 is neither a loopback address nor the EKS Pod Identity or ECS agent's");
        assertThat(CredentialSource.fromEnvironment(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "https://creds.example/v1")).fetches()).isTrue();
        assertThat(CredentialSource.fromEnvironment(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:9911/creds")).description()).contains("127.0.0.1:9911");
        assertThat(CredentialSource.fromEnvironment(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://[fd00:ec2::23]/v1/credentials")).description()).contains("fd00:ec2::23");
    }
}
