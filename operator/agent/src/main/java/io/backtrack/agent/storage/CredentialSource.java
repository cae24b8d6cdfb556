package io.backtrack.agent.storage;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.result.Reason;
import io.minio.credentials.AwsConfigProvider;
import io.minio.credentials.IamAwsProvider;
import io.minio.credentials.Provider;
import io.minio.credentials.StaticProvider;
import okhttp3.OkHttpClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the agent's S3 credentials come from, decided once from the environment in the order of the AWS SDKs'
 * default chain: a static key (AWS_ACCESS_KEY_ID, from the storage credentials Secret), else web identity (IRSA or
 * any STS that trusts the cluster's service-account tokens), else the shared credentials file's profile (the CLI on
 * a laptop), else container credentials (EKS Pod Identity, ECS), else instance metadata. Choosing by what is set, rather than trying each in turn, keeps a misconfiguration from
 * ending as a slow timeout against the next source, and lets the failure name the source that was meant.
 *
 * @param description what the source is, for logs and failure messages (never a secret)
 * @param provider    the MinIO credentials provider for it, given an HTTP client with the agent's timeouts and CA
 *                    bundle (null for a static key, which fetches nothing); each provider caches its
 *                    credentials until shortly before they expire
 * @param fetches     whether the provider fetches credentials over HTTP
 */
public record CredentialSource(String description, Function<OkHttpClient, Provider> provider, boolean fetches) {

    /** A static key pair (and session token, when temporary). */
    public static CredentialSource staticKey(String accessKey, String secretKey, String sessionToken) {
        return new CredentialSource("the static access key (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the storage credentials Secret)",
                http -> new StaticProvider(accessKey, secretKey, blank(sessionToken) ? null : sessionToken), false);
    }

    /** The first source the environment sets up; fails with InvalidArguments when none is, or one is half set. */
    public static CredentialSource fromEnvironment(Map<String, String> env) {
        String accessKey = env.get(AgentEnv.AWS_ACCESS_KEY_ID);
        String secretKey = env.get(AgentEnv.AWS_SECRET_ACCESS_KEY);
        if (!blank(accessKey) || !blank(secretKey)) {
            if (blank(accessKey) || blank(secretKey)) {
                throw new AgentFailure(Reason.InvalidArguments, "only one of " + AgentEnv.AWS_ACCESS_KEY_ID + " and "
                        + AgentEnv.AWS_SECRET_ACCESS_KEY + " is set; a static key needs both (check the keys of the "
                        + "storage credentials Secret)");
            }
            return staticKey(accessKey, secretKey, env.get(AgentEnv.AWS_SESSION_TOKEN));
        }
        String tokenFile = env.get(AgentEnv.AWS_WEB_IDENTITY_TOKEN_FILE);
        if (!blank(tokenFile)) {
            String role = env.get(AgentEnv.AWS_ROLE_ARN);
            if (blank(role)) {
                throw new AgentFailure(Reason.InvalidArguments, AgentEnv.AWS_WEB_IDENTITY_TOKEN_FILE
                        + " is set but " + AgentEnv.AWS_ROLE_ARN + " is not: web identity needs the role to assume "
                        + "(IRSA sets both from the ServiceAccount's eks.amazonaws.com/role-arn annotation)");
            }
            String sts = env.get(AgentEnv.AWS_ENDPOINT_URL_STS);
            // IamAwsProvider takes the web-identity path first when the token file is set; without an endpoint
            // it asks the regional STS of AWS_REGION, else the global one.
            return new CredentialSource("web identity (role " + role + ", token " + tokenFile + ", STS "
                    + (blank(sts) ? "of AWS" : sts) + ")", http -> new IamAwsProvider(blank(sts) ? null : sts, http), true);
        }
        Path sharedFile = sharedCredentialsFile(env);
        if (Files.isRegularFile(sharedFile)) {
            // The break-glass CLI on a laptop: the AWS CLI's profile (an agent Pod has no such file).
            String profile = blank(env.get(AgentEnv.AWS_PROFILE)) ? "default" : env.get(AgentEnv.AWS_PROFILE);
            return new CredentialSource("profile " + profile + " of " + sharedFile,
                    http -> new AwsConfigProvider(sharedFile.toString(), profile), false);
        }
        String fullUri = env.get(AgentEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI);
        String relativeUri = env.get(AgentEnv.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
        if (!blank(fullUri) || !blank(relativeUri)) {
            ContainerCredentials container = ContainerCredentials.fromEnvironment(env);
            return new CredentialSource("container credentials from " + container.url()
                    + " (EKS Pod Identity or ECS)", http -> new ContainerCredentials.Provider(container, http), true);
        }
        if ("true".equalsIgnoreCase(String.valueOf(env.get(AgentEnv.AWS_EC2_METADATA_DISABLED)).strip())) {
            throw new AgentFailure(Reason.InvalidArguments, "no S3 credentials: set " + AgentEnv.AWS_ACCESS_KEY_ID
                    + " and " + AgentEnv.AWS_SECRET_ACCESS_KEY + " (storage.s3.credentialsSecret), or run with a "
                    + "cloud identity (web identity: " + AgentEnv.AWS_WEB_IDENTITY_TOKEN_FILE + " and "
                    + AgentEnv.AWS_ROLE_ARN + "; EKS Pod Identity: " + AgentEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI
                    + "); instance metadata is off (" + AgentEnv.AWS_EC2_METADATA_DISABLED + ")");
        }
        String imds = env.get(AgentEnv.AWS_EC2_METADATA_SERVICE_ENDPOINT);
        return new CredentialSource("instance metadata (" + (blank(imds) ? "169.254.169.254" : imds)
                + "); no storage credentials Secret, web identity or container credentials were given",
                http -> new IamAwsProvider(blank(imds) ? null : imds, http), true);
    }

    private static Path sharedCredentialsFile(Map<String, String> env) {
        String file = env.get(AgentEnv.AWS_SHARED_CREDENTIALS_FILE);
        return blank(file) ? Path.of(System.getProperty("user.home"), ".aws", "credentials") : Path.of(file);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
