package io.backtrack.agent.crypto;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.result.Reason;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The age X25519 recipients (public keys, {@code age1...}) a backup is encrypted to: the {@code --recipient} values
 * and the lines of {@link AgentEnv#AGE_RECIPIENTS}, each checked to be a valid X25519 recipient before anything is
 * written. A request for encryption that names no usable recipient fails the backup; it never writes plaintext.
 */
public final class AgeRecipients {
    private static final String RECIPIENT_PREFIX = "age1";
    private static final String IDENTITY_PREFIX = "AGE-SECRET-KEY-";

    private final List<String> keys;
    private final List<RecipientStanzaWriter> writers;

    private AgeRecipients(List<String> keys, List<RecipientStanzaWriter> writers) {
        this.keys = List.copyOf(keys);
        this.writers = List.copyOf(writers);
    }

    /**
     * The recipients of {@code flags} ({@code --recipient}) and of {@code environment} (the value of
     * {@link AgentEnv#AGE_RECIPIENTS}, null when unset), or null when neither asks for encryption. Set but empty (a
     * Secret key holding nothing) is refused: the operator set it because the backup is to be encrypted.
     */
    public static AgeRecipients of(List<String> flags, String environment) {
        if (flags.isEmpty() && environment == null) {
            return null;
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String flag : flags) {
            keys.add(checked(flag == null ? "" : flag.strip(), AgentFlags.RECIPIENT + " value"));
        }
        if (environment != null) {
            String[] lines = environment.split("\\R");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    keys.add(checked(line, "line " + (i + 1) + " of " + AgentEnv.AGE_RECIPIENTS));
                }
            }
        }
        if (keys.isEmpty()) {
            throw new AgentFailure(Reason.InvalidArguments, AgentEnv.AGE_RECIPIENTS + " is set but holds no age "
                    + "recipient (the Secret named by encryption.age.recipientsSecret is empty at that key); an "
                    + "encrypted backup is never written unencrypted: put the recipients' public keys (age1..., as "
                    + "age-keygen prints them) in it, one per line");
        }
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        for (String key : keys) {
            writers.add(writer(key));
        }
        return new AgeRecipients(new ArrayList<>(keys), writers);
    }

    /** The public keys, as given (recorded in the manifest and the result). */
    public List<String> keys() {
        return keys;
    }

    List<RecipientStanzaWriter> writers() {
        return writers;
    }

    /** {@code value} when it is a valid age X25519 recipient; refused otherwise, never echoing a private key. */
    private static String checked(String value, String where) {
        if (value.toUpperCase(Locale.ROOT).startsWith(IDENTITY_PREFIX)) {
            throw new AgentFailure(Reason.InvalidArguments, where + " is an age identity (a private key), not a "
                    + "recipient: give its public key (age-keygen -y prints it), and keep the identity out of the "
                    + "backup's Secret: only a Restore's decryption.identitySecret holds it");
        }
        if (!value.toLowerCase(Locale.ROOT).startsWith(RECIPIENT_PREFIX)) {
            throw new AgentFailure(Reason.InvalidArguments, where + " is not an age X25519 recipient: expected a "
                    + "public key starting with age1 (age-keygen prints one); other recipient types (ssh, plugins) "
                    + "are not supported");
        }
        return value;
    }

    private static RecipientStanzaWriter writer(String key) {
        try {
            return X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(key);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AgentFailure(Reason.InvalidArguments, "'" + shortened(key) + "' is not a valid age X25519 "
                    + "recipient (" + e.getMessage() + "): copy the whole public key as age-keygen prints it", e);
        }
    }

    private static String shortened(String key) {
        return key.length() <= 80 ? key : key.substring(0, 80) + "…";
    }
}
