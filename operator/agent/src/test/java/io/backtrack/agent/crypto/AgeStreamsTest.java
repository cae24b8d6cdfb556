package io.backtrack.agent.crypto;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.stream.ArchiveCorruptException;
import io.backtrack.contract.result.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The age streams: what is written comes back, and every way of getting the key or the bytes wrong is refused. */
class AgeStreamsTest {
    private static final int CHUNK = 64 * 1024;
    private static final byte[] HEADER = "age-encryption.org/v1\n".getBytes(StandardCharsets.US_ASCII);

    private record Key(String identity, String recipient) {
        static Key generate() throws Exception {
            KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
            return new Key(pair.getPrivate().toString(), pair.getPublic().toString());
        }

        AgeIdentity asIdentity() {
            return AgeIdentity.parse("# created by a test\n" + identity + "\n", "BACKTRACK_AGE_IDENTITY");
        }
    }

    private static byte[] data(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] encrypt(byte[] plain, AgeRecipients recipients, int writeSize) throws Exception {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = AgeStreams.encrypting(stored, recipients)) {
            for (int off = 0; off < plain.length; off += writeSize) {
                out.write(plain, off, Math.min(writeSize, plain.length - off));
            }
        }
        return stored.toByteArray();
    }

    private static byte[] decrypt(byte[] stored, AgeIdentity identity) throws Exception {
        try (InputStream in = AgeStreams.decrypting(new ByteArrayInputStream(stored), identity, "k/a.pgdump.zst.age",
                List.of("age1recipient"))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17})
    void whatIsWrittenComesBackWhateverItsSizeAgainstTheChunks(int size) throws Exception {
        Key key = Key.generate();
        byte[] plain = data(size);
        byte[] stored = encrypt(plain, AgeRecipients.of(List.of(key.recipient()), null), 10_000);
        assertThat(Arrays.copyOf(stored, HEADER.length)).isEqualTo(HEADER);
        assertThat(decrypt(stored, key.asIdentity())).isEqualTo(plain);
        // age: one 16-byte tag per 64 KiB chunk, at least one chunk
        int chunks = Math.max(1, (size + CHUNK - 1) / CHUNK);
        assertThat(stored.length - size).isGreaterThanOrEqualTo(16 * chunks).isLessThan(16 * chunks + 400);
    }

    @Test
    void everyRecipientDecryptsOnItsOwnAndAnIdentityFileMayHoldSeveralKeys() throws Exception {
        Key alice = Key.generate();
        Key bob = Key.generate();
        Key other = Key.generate();
        byte[] plain = data(200_000);
        byte[] stored = encrypt(plain, AgeRecipients.of(List.of(alice.recipient()), "# team\n\n" + bob.recipient()
                + "\n"), 65_000);
        assertThat(decrypt(stored, alice.asIdentity())).isEqualTo(plain);
        assertThat(decrypt(stored, bob.asIdentity())).isEqualTo(plain);
        AgeIdentity both = AgeIdentity.parse(other.identity() + "\n" + bob.identity(), "--identity-file key.txt");
        assertThat(decrypt(stored, both)).isEqualTo(plain);
        assertThat(both.recipients()).containsExactly(other.recipient(), bob.recipient());
    }

    @Test
    void anIdentitysRecipientIsItsPublicKey() throws Exception {
        Key key = Key.generate();
        assertThat(AgeIdentity.recipientOf(key.identity())).isEqualTo(key.recipient());
    }

    @Test
    void aMissingOrWrongIdentityIsDecryptionFailedNamingTheRecipientsAndNeverTheKey() throws Exception {
        Key alice = Key.generate();
        Key mallory = Key.generate();
        byte[] stored = encrypt(data(1000), AgeRecipients.of(List.of(alice.recipient()), null), 1000);

        assertThatThrownBy(() -> decrypt(stored, null)).isInstanceOfSatisfying(AgentFailure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.DecryptionFailed);
            assertThat(f.getMessage()).contains("age1recipient", "spec.decryption.identitySecret");
        });
        assertThatThrownBy(() -> decrypt(stored, mallory.asIdentity())).isInstanceOfSatisfying(AgentFailure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.DecryptionFailed);
            assertThat(f.getMessage()).contains("age1recipient", mallory.recipient()).doesNotContain(mallory.identity());
        });
        AgeIdentity garbage = AgeIdentity.parse("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQ", "BACKTRACK_AGE_IDENTITY");
        assertThatThrownBy(() -> decrypt(stored, garbage)).isInstanceOfSatisfying(AgentFailure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.DecryptionFailed);
            assertThat(f.getMessage()).contains("line 1 of BACKTRACK_AGE_IDENTITY").doesNotContain("QQQQQQQQ");
        });
        AgeIdentity empty = AgeIdentity.parse("# nothing here\n", "BACKTRACK_AGE_IDENTITY");
        assertThatThrownBy(() -> decrypt(stored, empty)).isInstanceOfSatisfying(AgentFailure.class,
                f -> assertThat(f.getMessage()).contains("holds no age identity"));
    }

    @Test
    void aChangedOrCutOffCiphertextNeverReadsAsAShorterOrOtherPlaintext() throws Exception {
        Key key = Key.generate();
        byte[] plain = data(3 * CHUNK + 100);
        byte[] stored = encrypt(plain, AgeRecipients.of(List.of(key.recipient()), null), CHUNK);

        byte[] flipped = stored.clone();
        flipped[stored.length - 2 * CHUNK] ^= 0x01;
        assertThatThrownBy(() -> decrypt(flipped, key.asIdentity())).isInstanceOf(ArchiveCorruptException.class)
                .hasMessageContaining("age authentication");

        // Cut at a chunk boundary: what remains is whole chunks, none marked last.
        int headerLength = stored.length - (3 * (CHUNK + 16) + 100 + 16);
        byte[] cut = Arrays.copyOf(stored, headerLength + 2 * (CHUNK + 16));
        assertThatThrownBy(() -> decrypt(cut, key.asIdentity())).isInstanceOf(ArchiveCorruptException.class);

        byte[] headerOnly = Arrays.copyOf(stored, headerLength);
        assertThatThrownBy(() -> decrypt(headerOnly, key.asIdentity())).isInstanceOf(ArchiveCorruptException.class);

        byte[] badHeader = stored.clone();
        badHeader[HEADER.length + 5] ^= 0x01;
        assertThatThrownBy(() -> decrypt(badHeader, key.asIdentity())).isInstanceOfAny(ArchiveCorruptException.class,
                AgentFailure.class);
        assertThatThrownBy(() -> decrypt("PGDMP not age at all".getBytes(StandardCharsets.US_ASCII),
                key.asIdentity())).isInstanceOf(ArchiveCorruptException.class);
    }

    @Test
    void recipientsThatCannotEncryptAreRefusedAndNoRequestMeansNoEncryption() throws Exception {
        Key key = Key.generate();
        assertThat(AgeRecipients.of(List.of(), null)).isNull();
        assertThat(AgeRecipients.of(List.of(key.recipient(), key.recipient()), key.recipient()).keys())
                .containsExactly(key.recipient());
        for (String env : List.of("", "  \n", "# a comment only\n")) {
            assertThatThrownBy(() -> AgeRecipients.of(List.of(), env)).isInstanceOfSatisfying(AgentFailure.class,
                    f -> assertThat(f.getMessage()).contains("holds no age recipient", "never written unencrypted"));
        }
        String tampered = key.recipient().substring(0, key.recipient().length() - 1)
                + (key.recipient().endsWith("q") ? "p" : "q");
        for (String bad : List.of("age1notavalidkey", tampered, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", " ")) {
            assertThatThrownBy(() -> AgeRecipients.of(List.of(bad), null)).as(bad)
                    .isInstanceOfSatisfying(AgentFailure.class,
                            f -> assertThat(f.reason()).isEqualTo(Reason.InvalidArguments));
        }
        assertThatThrownBy(() -> AgeRecipients.of(List.of(), "# oops\n" + key.identity()))
                .isInstanceOfSatisfying(AgentFailure.class, f -> assertThat(f.getMessage())
                        .contains("line 2 of BACKTRACK_AGE_RECIPIENTS is an age identity")
                        .doesNotContain(key.identity()));
    }
}
