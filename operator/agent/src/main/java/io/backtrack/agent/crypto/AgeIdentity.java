package io.backtrack.agent.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import com.exceptionfactory.jagged.bech32.Bech32;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.args.AgentEnv;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.result.Reason;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.crypto.KeyAgreement;

/**
 * The age identities (X25519 private keys, {@code AGE-SECRET-KEY-1...}) an encrypted archive is decrypted with, as
 * an age identity file holds them: one per line, blank lines and {@code #} comments ignored. From
 * {@code --identity-file}, else {@link AgentEnv#AGE_IDENTITY} (a Restore's decryption.identitySecret). A text that
 * holds no usable identity is kept with its problem, which is reported (DecryptionFailed) only when an encrypted
 * archive needs it. The keys are never logged nor put in a message; their public keys (recipients) are, to say
 * which key was tried.
 */
public final class AgeIdentity {
    private static final String IDENTITY_PREFIX = "AGE-SECRET-KEY-1";
    private static final String RECIPIENT_HRP = "age";

    private final String source;
    private final List<RecipientStanzaReader> readers;
    private final List<String> recipients;
    private final String problem;

    private AgeIdentity(String source, List<RecipientStanzaReader> readers, List<String> recipients, String problem) {
        this.source = source;
        this.readers = List.copyOf(readers);
        this.recipients = List.copyOf(recipients);
        this.problem = problem;
    }

    /** From {@code file} when given, else from {@code environment} (null when unset); null when neither is given. */
    public static AgeIdentity load(Path file, String environment) {
        if (file != null) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AgentFailure(Reason.InvalidArguments, "cannot read " + AgentFlags.IDENTITY_FILE + " " + file
                        + ": " + e.getMessage(), e);
            }
            return parse(text, AgentFlags.IDENTITY_FILE + " " + file);
        }
        return environment == null ? null : parse(environment, AgentEnv.AGE_IDENTITY);
    }

    /** The identities of an identity file's text; {@code source} names where it came from, for messages. */
    public static AgeIdentity parse(String text, String source) {
        List<RecipientStanzaReader> readers = new ArrayList<>();
        List<String> recipients = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.toUpperCase(Locale.ROOT).startsWith(IDENTITY_PREFIX)) {
                return unusable(source, "line " + (i + 1) + " of " + source + " is not an age X25519 identity "
                        + "(AGE-SECRET-KEY-1..., as age-keygen writes it)");
            }
            try {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(line));
            } catch (GeneralSecurityException | RuntimeException e) {
                return unusable(source, "line " + (i + 1) + " of " + source + " is not a valid age X25519 identity "
                        + "(its checksum or length is wrong): copy the whole key as age-keygen wrote it");
            }
            String recipient = recipientOf(line);
            if (recipient != null) {
                recipients.add(recipient);
            }
        }
        if (readers.isEmpty()) {
            return unusable(source, source + " holds no age identity (AGE-SECRET-KEY-1...)");
        }
        return new AgeIdentity(source, readers, recipients, null);
    }

    private static AgeIdentity unusable(String source, String problem) {
        return new AgeIdentity(source, List.of(), List.of(), problem);
    }

    /** Where the identities came from: {@code --identity-file PATH} or the environment variable. */
    public String source() {
        return source;
    }

    /** The public keys of the identities (what a backup names as its recipients), for messages. */
    public List<String> recipients() {
        return recipients;
    }

    /**
     * One reader trying every identity in turn; throws DecryptionFailed when the text held none usable, naming the
     * archive ({@code key}) and the recipients it was encrypted to.
     */
    RecipientStanzaReader reader(String key, List<String> archiveRecipients) {
        if (problem != null) {
            throw new AgentFailure(Reason.DecryptionFailed, problem + "; " + key + " is encrypted to "
                    + AgeStreams.describe(archiveRecipients) + " and cannot be decrypted without one of their "
                    + "identities; nothing was restored or changed");
        }
        return stanzas -> {
            for (RecipientStanzaReader reader : readers) {
                try {
                    return reader.getFileKey(stanzas);
                } catch (UnsupportedRecipientStanzaException notThisOne) {
                    // the next identity may be the one
                }
            }
            throw new UnsupportedRecipientStanzaException("no identity matched a recipient stanza");
        };
    }

    /**
     * The recipient ({@code age1...}) of an identity: its X25519 public key, the scalar multiplication of the base
     * point (u = 9) by the private key, Bech32-encoded as age encodes it. Null when the JDK cannot compute it (the
     * key still decrypts; only messages lose the name).
     */
    static String recipientOf(String identity) {
        try {
            byte[] scalar = Bech32.getDecoder().decode(identity).getData();
            KeyFactory keys = KeyFactory.getInstance("X25519");
            PrivateKey privateKey = keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            PublicKey basePoint = keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                    BigInteger.valueOf(9)));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(privateKey);
            agreement.doPhase(basePoint, true);
            return Bech32.getEncoder().encode(RECIPIENT_HRP, agreement.generateSecret()).toString();
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }
}
