package io.backtrack.agent.archive;

import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.stream.DigestingInputStream;
import io.backtrack.agent.stream.Sha256;
import io.backtrack.contract.result.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a full read of a stored archive found: it matched its manifest (SHA-256 and size) and decompressed (an
 * encrypted one: decrypted, then decompressed) into a pg_dump custom-format archive ({@code PGDMP} header). The
 * archive check of {@code backtrack-agent verify} and of a restore's check step, streamed once, without a temporary
 * file and without a database; or, for a parallel restore, written decompressed to a local file on the way
 * ({@link #into}). {@code uncompressedBytes} is null when only the stored bytes were checked ({@link #storedBytes}).
 */
public record ArchiveScan(String sha256, long sizeBytes, Long uncompressedBytes) {
    private static final byte[] CUSTOM_FORMAT_MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

    /**
     * Streams the whole archive once: SHA-256 and size against the manifest (ArchiveCorrupt naming both hashes),
     * then that it decrypts (an encrypted archive, with {@code identity}) and decompresses into a custom-format dump
     * (ArchiveCorrupt).
     */
    public static ArchiveScan of(ObjectStore store, Manifest manifest, AgeIdentity identity) {
        return scan(store, manifest, identity, true, null);
    }

    /**
     * As {@link #of}, writing the decompressed archive to {@code sink} as it goes. What was written is the archive
     * only if this returns; a write to {@code sink} that fails is thrown as {@link SinkFailed}, the check unfinished.
     */
    public static ArchiveScan into(ObjectStore store, Manifest manifest, AgeIdentity identity, OutputStream sink) {
        return scan(store, manifest, identity, true, sink);
    }

    /**
     * Streams the whole archive once and checks only its stored bytes (SHA-256 and size) against the manifest: all
     * an encrypted archive allows without its key, and enough to prove it is what the backup wrote.
     */
    public static ArchiveScan storedBytes(ObjectStore store, Manifest manifest) {
        return scan(store, manifest, null, false, null);
    }

    /** Writing the decompressed archive to the caller's sink failed (e.g. its disk is full) after {@code written} bytes. */
    public static final class SinkFailed extends RuntimeException {
        private final long written;

        public SinkFailed(IOException cause, long written) {
            super(cause.getMessage(), cause);
            this.written = written;
        }

        public long written() {
            return written;
        }
    }

    private static ArchiveScan scan(ObjectStore store, Manifest manifest, AgeIdentity identity, boolean decode,
                                    OutputStream sink) {
        Sha256 sha256 = new Sha256();
        DigestingInputStream stored = new DigestingInputStream(store.open(manifest.archiveKey()), sha256);
        Long plainBytes = null;
        String decodeError = null;
        try (stored) {
            try {
                if (decode) {
                    plainBytes = decodeFully(ArchiveSource.plain(manifest, stored, identity), sink);
                }
            } catch (IOException e) {
                decodeError = e.getMessage();
            }
            stored.drain();
        } catch (IOException e) {
            throw new AgentFailure(Reason.StorageUnreachable, "downloading " + manifest.archiveKey() + " from "
                    + store.location().endpoint() + " failed: " + e.getMessage(), e);
        }
        String actual = sha256.hex();
        if (!actual.equals(manifest.sha256()) || sha256.bytes() != manifest.sizeBytes()) {
            throw ArchiveSource.hashMismatch(manifest, actual, sha256.bytes());
        }
        if (decodeError != null) {
            throw new AgentFailure(Reason.ArchiveCorrupt, "archive " + manifest.archiveKey()
                    + " matches its SHA-256 but is not a readable pg_dump archive: " + decodeError);
        }
        return new ArchiveScan(actual, sha256.bytes(), plainBytes);
    }

    /**
     * Reads the decompressed stream to its end, into {@code sink} if given; throws if it is not a custom-format dump.
     * A failed write to the sink is a {@link SinkFailed}, unchecked, so that it passes the caller's handling of a
     * failed read.
     */
    private static long decodeFully(InputStream plain, OutputStream sink) throws IOException {
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        int n;
        byte[] head = new byte[0];
        while ((n = plain.read(buf)) >= 0) {
            if (head.length < CUSTOM_FORMAT_MAGIC.length) {
                int take = Math.min(n, CUSTOM_FORMAT_MAGIC.length - head.length);
                byte[] grown = Arrays.copyOf(head, head.length + take);
                System.arraycopy(buf, 0, grown, head.length, take);
                head = grown;
            }
            if (sink != null) {
                try {
                    sink.write(buf, 0, n);
                } catch (IOException e) {
                    throw new SinkFailed(e, total);
                }
            }
            total += n;
        }
        if (!Arrays.equals(head, CUSTOM_FORMAT_MAGIC)) {
            throw new IOException("no PGDMP header: not a pg_dump custom-format archive");
        }
        return total;
    }
}
