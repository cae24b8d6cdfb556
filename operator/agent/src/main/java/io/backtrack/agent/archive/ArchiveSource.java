package io.backtrack.agent.archive;

import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.crypto.AgeStreams;
import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.ManifestCodec;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.agent.storage.StorageErrors;
import io.backtrack.agent.stream.Compressors;
import io.backtrack.contract.layout.BackupFolder;
import io.backtrack.contract.result.Reason;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a backup folder's manifest and checks, before anything is touched, that its archive is there at its size. */
public final class ArchiveSource {
    private ArchiveSource() {
    }

    public static Manifest readManifest(ObjectStore store, BackupFolder folder) {
        byte[] json = store.readSmall(folder.manifestKey()).orElseThrow(() -> new AgentFailure(Reason.ArchiveNotFound,
                "no manifest.json under " + folder.key() + " in bucket " + store.location().bucket()
                        + ": not a completed backup"));
        try {
            return ManifestCodec.fromBytes(json);
        } catch (IOException e) {
            throw new AgentFailure(Reason.ArchiveCorrupt, "manifest.json under " + folder.key()
                    + " is not readable: " + e.getMessage(), e);
        }
    }

    /** Fails fast (before any database is touched) when the archive is missing or has the wrong size. */
    public static void requireArchive(ObjectStore store, Manifest manifest) {
        long size = store.sizeOf(manifest.archiveKey()).orElseThrow(() -> new AgentFailure(Reason.ArchiveNotFound,
                "the manifest names " + manifest.archiveKey() + " but there is no such object in bucket "
                        + store.location().bucket()));
        if (size != manifest.sizeBytes()) {
            throw new AgentFailure(Reason.ArchiveCorrupt, "archive " + manifest.archiveKey() + " has " + size
                    + " bytes but its manifest records " + manifest.sizeBytes() + "; it was truncated or replaced");
        }
    }

    /**
     * The dump inside a stored archive: decrypted when the archive is encrypted (with {@code identity}: none, or one
     * that is not among its recipients, fails with DecryptionFailed as the header is read, before anything else),
     * then decompressed.
     */
    public static InputStream plain(Manifest manifest, InputStream stored, AgeIdentity identity) throws IOException {
        InputStream compressed = manifest.encrypted()
                ? AgeStreams.decrypting(stored, identity, manifest.archiveKey(), manifest.recipients()) : stored;
        return Compressors.decompressArchive(manifest.archiveKey(), compressed);
    }

    /**
     * The archive's table of contents, from its first bytes (the download is abandoned after them). An archive
     * whose start does not parse is corrupt; the full SHA-256 check says more when it runs. An encrypted archive's
     * header is read first, so a missing or wrong identity is found here, before any database is touched.
     */
    public static ArchiveToc readToc(ObjectStore store, Manifest manifest, AgeIdentity identity) {
        return readHead(store, manifest, identity).toc();
    }

    /** The table of contents, and how many bytes of the decompressed archive its header and it take. */
    public record Head(ArchiveToc toc, long length) {
    }

    /** As {@link #readToc}, with the length of the archive's header and TOC. */
    public static Head readHead(ObjectStore store, Manifest manifest, AgeIdentity identity) {
        try (InputStream stored = store.open(manifest.archiveKey());
             InputStream plain = plain(manifest, stored, identity)) {
            long[] read = new long[1];
            InputStream counting = new FilterInputStream(new BufferedInputStream(plain, 64 * 1024)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    read[0] += b < 0 ? 0 : 1;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    read[0] += Math.max(n, 0);
                    return n;
                }
            };
            ArchiveToc toc = ArchiveToc.read(counting);
            return new Head(toc, read[0]);
        } catch (IOException e) {
            AgentFailure storage = StorageErrors.failureBehind(e);
            if (storage != null) {
                throw storage;
            }
            throw new AgentFailure(Reason.ArchiveCorrupt, "the table of contents of archive " + manifest.archiveKey()
                    + " cannot be read: " + e.getMessage() + "; restore from another backup", e);
        }
    }

    public static AgentFailure hashMismatch(Manifest manifest, String actualSha, long actualSize) {
        return new AgentFailure(Reason.ArchiveCorrupt, "archive " + manifest.archiveKey() + " is corrupt: SHA-256 "
                + actualSha + " (" + actualSize + " bytes) does not match the manifest's " + manifest.sha256() + " ("
                + manifest.sizeBytes() + " bytes); restore from another backup");
    }
}
