package io.backtrack.controller.job;

import io.backtrack.api.encryption.DecryptionSpec;
import io.backtrack.api.encryption.EncryptionSpec;
import io.backtrack.contract.args.AgentEnv;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.List;

/**
 * How agent Jobs get age keys: only ever as secretKeyRef env, never read by the operator. A Job that writes an
 * archive gets the recipients (public keys) of the encryption its location asks for; a Job that reads one gets the
 * identity (private key) of its Restore's spec.decryption, and nothing else ever does.
 */
public final class EncryptionAccess {
    private EncryptionAccess() {
    }

    /** A Backup's own encryption wins over its BackupStorage's; null when neither asks for one. */
    public static EncryptionSpec effective(EncryptionSpec own, EncryptionSpec storage) {
        return own != null ? own : storage;
    }

    /** {@link AgentEnv#AGE_RECIPIENTS} from the recipients Secret; none without encryption. */
    public static List<EnvVar> recipientsEnv(EncryptionSpec encryption) {
        if (encryption == null || encryption.age() == null || encryption.age().recipientsSecret() == null) {
            return List.of();
        }
        var secret = encryption.age().recipientsSecret();
        return List.of(AgentJobBuilder.fromSecret(AgentEnv.AGE_RECIPIENTS, secret.name(), secret.keyOrDefault()));
    }

    /** {@link AgentEnv#AGE_IDENTITY} from the identity Secret; none without decryption. */
    public static List<EnvVar> identityEnv(DecryptionSpec decryption) {
        if (decryption == null || decryption.identitySecret() == null) {
            return List.of();
        }
        var secret = decryption.identitySecret();
        return List.of(AgentJobBuilder.fromSecret(AgentEnv.AGE_IDENTITY, secret.name(), secret.keyOrDefault()));
    }

    /** What the CRD's schema requires of an encryption, for resources written without it; {@code field} names it. */
    public static List<String> problems(EncryptionSpec encryption, String field) {
        List<String> problems = new ArrayList<>();
        if (encryption == null) {
            return problems;
        }
        if (encryption.age() == null || encryption.age().recipientsSecret() == null) {
            problems.add(field + ".age.recipientsSecret is required");
        } else if (blank(encryption.age().recipientsSecret().name())) {
            problems.add(field + ".age.recipientsSecret.name is required");
        }
        return problems;
    }

    /** As {@link #problems(EncryptionSpec, String)}, for a decryption. */
    public static List<String> problems(DecryptionSpec decryption, String field) {
        if (decryption == null) {
            return List.of();
        }
        if (decryption.identitySecret() == null || blank(decryption.identitySecret().name())) {
            return List.of(field + ".identitySecret.name is required");
        }
        return List.of();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
