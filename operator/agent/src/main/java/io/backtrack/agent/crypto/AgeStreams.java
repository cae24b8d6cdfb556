package io.backtrack.agent.crypto;

import com.exceptionfactory.jagged.PayloadException;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.stream.ArchiveCorruptException;
import io.backtrack.contract.result.Reason;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * The age format (age-encryption.org/v1) as streams, with Jagged: a header naming each recipient (the file key
 * wrapped for it), then the payload in authenticated chunks of 64 KiB, so memory stays bounded whatever the size
 * and the stock {@code age -d} opens what the agent wrote. Decryption reads the header first and unwraps the file key
 * with the identity before anything else happens: a missing or wrong identity is found at once; a chunk changed or
 * cut off later fails age's authentication when it is read ({@link ArchiveCorruptException}).
 */
public final class AgeStreams {
    private AgeStreams() {
    }

    /**
     * A stream that encrypts what is written to it and writes the ciphertext (header first, now) to {@code out};
     * its {@code close()} writes the last chunk and closes {@code out}. Without close the ciphertext is incomplete
     * and fails to decrypt: an aborted backup can never pass for a shorter one.
     */
    public static OutputStream encrypting(OutputStream out, AgeRecipients recipients) throws IOException {
        try {
            return Channels.newOutputStream(new StandardEncryptingChannelFactory()
                    .newEncryptingChannel(new OutputChannel(out), recipients.writers()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start age encryption: " + e.getMessage(), e);
        }
    }

    /**
     * The plaintext of {@code stored}, the ciphertext of the object {@code key} encrypted to {@code recipients} (as
     * its manifest records them, for messages). Reads the header now: no identity, or one that is none of the
     * recipients, fails with DecryptionFailed naming them; a header that does not parse or authenticate throws
     * {@link ArchiveCorruptException}. Read failures of {@code stored} itself pass through unchanged.
     */
    public static InputStream decrypting(InputStream stored, AgeIdentity identity, String key, List<String> recipients)
            throws IOException {
        if (identity == null) {
            throw new AgentFailure(Reason.DecryptionFailed, key + " is encrypted with age to " + describe(recipients)
                    + " and no identity was given: set the Restore's spec.decryption.identitySecret (the agent's "
                    + "--identity-file or BACKTRACK_AGE_IDENTITY) to the private key of one of them; nothing was "
                    + "restored or changed");
        }
        RecipientStanzaReader reader = identity.reader(key, recipients);
        try {
            return new ChannelInput(new StandardDecryptingChannelFactory().newDecryptingChannel(
                    new InputChannel(stored), List.of(reader)), key);
        } catch (UnsupportedRecipientStanzaException e) {
            throw new AgentFailure(Reason.DecryptionFailed, "the identity in " + identity.source()
                    + (identity.recipients().isEmpty() ? "" : " (recipient " + String.join(", ",
                    identity.recipients()) + ")") + " is none of the recipients " + key + " is encrypted to: "
                    + describe(recipients) + "; give the identity of one of them (keep old identities until the "
                    + "backups encrypted to them have expired); nothing was restored or changed", e);
        } catch (PayloadException e) {
            throw new ArchiveCorruptException(key + " holds an age header but no payload after it: it was cut off ("
                    + e.getMessage() + ")");
        } catch (GeneralSecurityException | RuntimeException e) {
            // A header that does not parse may also surface as a buffer or argument exception of the library.
            throw new ArchiveCorruptException(key + " does not start with a valid age header: " + e
                    + "; it was changed after the backup, or is not an age file");
        }
    }

    /** {@code plain} encrypted to {@code recipients}, for small objects (the roles file). */
    public static byte[] encrypt(byte[] plain, AgeRecipients recipients) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length + 512);
        try (OutputStream encrypting = encrypting(out, recipients)) {
            encrypting.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException("encrypting in memory failed", e);
        }
        return out.toByteArray();
    }

    /** {@code stored} decrypted, for small objects (the roles file); as {@link #decrypting}, all-or-nothing. */
    public static byte[] decrypt(byte[] stored, AgeIdentity identity, String key, List<String> recipients)
            throws IOException {
        try (InputStream plain = decrypting(new ByteArrayInputStream(stored), identity, key, recipients)) {
            return plain.readAllBytes();
        }
    }

    /** The recipients for a message: their keys, or that the manifest does not name them. */
    static String describe(List<String> recipients) {
        return recipients == null || recipients.isEmpty() ? "recipients its manifest does not name"
                : "recipient(s) " + String.join(", ", recipients);
    }

    /** A channel over a stream, closing it once. */
    private abstract static class StreamChannel implements Channel {
        private final Closeable stream;
        private boolean open = true;

        StreamChannel(Closeable stream) {
            this.stream = stream;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            if (open) {
                open = false;
                stream.close();
            }
        }
    }

    /** The ciphertext's destination as a channel: heap buffers are handed over without a copy. */
    private static final class OutputChannel extends StreamChannel implements WritableByteChannel {
        private final OutputStream out;

        OutputChannel(OutputStream out) {
            super(out);
            this.out = out;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            if (src.hasArray()) {
                out.write(src.array(), src.arrayOffset() + src.position(), n);
                src.position(src.limit());
            } else {
                byte[] copy = new byte[n];
                src.get(copy);
                out.write(copy);
            }
            return n;
        }
    }

    /** The ciphertext's source as a channel. */
    private static final class InputChannel extends StreamChannel implements ReadableByteChannel {
        private final InputStream in;

        InputChannel(InputStream in) {
            super(in);
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!dst.hasRemaining()) {
                return 0;
            }
            int n;
            if (dst.hasArray()) {
                n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                byte[] copy = new byte[Math.min(dst.remaining(), 64 * 1024)];
                n = in.read(copy);
                if (n > 0) {
                    dst.put(copy, 0, n);
                }
            }
            return n;
        }
    }

    /** The plaintext as a stream; a chunk failing authentication reads as {@link ArchiveCorruptException}. */
    private static final class ChannelInput extends InputStream {
        private final ReadableByteChannel channel;
        private final String key;

        ChannelInput(ReadableByteChannel channel, String key) {
            this.channel = channel;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            try {
                return channel.read(ByteBuffer.wrap(b, off, len));
            } catch (PayloadException e) {
                throw new ArchiveCorruptException(key + " fails age authentication: its ciphertext was changed or "
                        + "cut off after the backup (" + e.getMessage() + ")");
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
