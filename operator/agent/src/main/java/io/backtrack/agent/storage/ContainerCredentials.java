package io.backtrack.agent.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.result.Reason;
import io.minio.credentials.Credentials;
import io.minio.credentials.IamAwsProvider;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProviderException;
import java.util.Map;
import java.util.Set;

/**
 * Container credentials as the AWS SDKs fetch them: EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI with the
 * token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, re-read on each fetch because the kubelet rotates it) and ECS
 * (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI). MinIO 8.6's IamAwsProvider reads neither the token file nor accepts
 * the Pod Identity Agent's link-local address, so the agent does this part itself, with the SDKs' host rule: a
 * plain-HTTP endpoint must be loopback or one of the agents' link-local addresses, so a token is never sent to
 * any other host in clear text.
 *
 * @param url       where the credentials are served
 * @param tokenFile the authorization token's file, or null
 * @param token     the authorization token itself (AWS_CONTAINER_AUTHORIZATION_TOKEN), or null
 */
record ContainerCredentials(HttpUrl url, Path tokenFile, String token) {
    /** The ECS task metadata and EKS Pod Identity Agent addresses (IPv4 and IPv6), as the AWS SDKs allow them. */
    private static final Set<String> CONTAINER_HOSTS = Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2::23",
            "[fd00:ec2::23]");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true).build();

    static ContainerCredentials fromEnvironment(Map<String, String> env) {
        String full = env.get(AgentEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI);
        String relative = env.get(AgentEnv.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
        HttpUrl url;
        if (!CredentialSource.blank(relative)) {
            url = HttpUrl.parse("http://169.254.170.2" + (relative.startsWith("/") ? "" : "/") + relative);
        } else {
            url = HttpUrl.parse(full);
            if (url == null) {
                throw new AgentFailure(Reason.InvalidArguments, AgentEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI
                        + " is not an http(s) URL: '" + full + "'");
            }
            if (!url.isHttps() && !allowedPlainHost(url.host())) {
                throw new AgentFailure(Reason.InvalidArguments, AgentEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI + " "
                        + url.host() + " is neither a loopback address nor the EKS Pod Identity or ECS agent's; "
                        + "use https:// for any other host");
            }
        }
        if (url == null) {
            throw new AgentFailure(Reason.InvalidArguments, AgentEnv.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
                    + " is not a path: '" + relative + "'");
        }
        String file = env.get(AgentEnv.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE);
        return new ContainerCredentials(url, CredentialSource.blank(file) ? null : Path.of(file),
                env.get(AgentEnv.AWS_CONTAINER_AUTHORIZATION_TOKEN));
    }

    private static boolean allowedPlainHost(String host) {
        if (CONTAINER_HOSTS.contains(host)) {
            return true;
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress a : addresses) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The token to send, the file's (trimmed) before the variable's, as the AWS SDKs; null when neither is set. */
    String currentToken() {
        if (tokenFile == null) {
            return CredentialSource.blank(token) ? null : token;
        }
        try {
            return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ProviderException("cannot read the container authorization token " + tokenFile + ": " + e, e);
        }
    }

    /** A MinIO provider over these container credentials, caching them until shortly before they expire. */
    static final class Provider implements io.minio.credentials.Provider {
        private final ContainerCredentials source;
        private final OkHttpClient http;
        private Credentials cached;

        Provider(ContainerCredentials source, OkHttpClient http) {
            this.source = source;
            this.http = http;
        }

        @Override
        public synchronized Credentials fetch() {
            if (cached != null && !cached.isExpired()) {
                return cached;
            }
            Request.Builder request = new Request.Builder().url(source.url()).get();
            String token = source.currentToken();
            if (token != null) {
                request.header("Authorization", token);
            }
            try (Response response = http.newCall(request.build()).execute()) {
                if (!response.isSuccessful()) {
                    throw new ProviderException(source.url() + " answered HTTP " + response.code());
                }
                IamAwsProvider.EcsCredentials body = JSON.readValue(response.body().charStream(),
                        IamAwsProvider.EcsCredentials.class);
                if (body.code() != null && !"Success".equals(body.code())) {
                    throw new ProviderException(source.url() + " answered " + body.code() + ": " + body.message());
                }
                cached = body.toCredentials();
                if (CredentialSource.blank(cached.accessKey()) || CredentialSource.blank(cached.secretKey())) {
                    throw new ProviderException(source.url() + " answered without an access key");
                }
                return cached;
            } catch (IOException e) {
                throw new ProviderException(source.url() + " could not be read: " + e.getMessage(), e);
            }
        }
    }
}
