package io.backtrack.agent.restore;

import io.backtrack.agent.archive.ArchiveScan;
import io.backtrack.agent.crypto.AgeIdentity;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.args.AgentFlags;
import io.backtrack.contract.result.Reason;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The decompressed archive in a local file, for pg_restore's parallel mode: {@code pg_restore --jobs} loads several
 * tables at once and builds their indexes beside later loads, which it can only do from a file it can reopen and
 * seek, not from a stream. The file is written while the archive's SHA-256 is computed, and handed out only once the
 * whole archive matched its manifest, before any database is touched: a corrupt archive, a failed download or a full
 * disk leaves nothing restored. It needs room for the whole uncompressed dump (the Job's {@code /tmp}), and is
 * deleted on close.
 */
final class ArchiveSpool implements AutoCloseable {
    private static final int WRITE_BUFFER = 1024 * 1024;

    private final Path file;

    private ArchiveSpool(Path file) {
        this.file = file;
    }

    /** Refuses an encrypted archive: its local copy would be the decrypted dump, on the node's disk. */
    static void requireAllowed(Manifest manifest) {
        if (manifest.encrypted()) {
            throw new AgentFailure(Reason.InvalidArguments, "a restore with " + AgentFlags.JOBS + " (parallelJobs) "
                    + "writes the decrypted dump to local disk, and archive " + manifest.archiveKey() + " is "
                    + "encrypted; restore it streamed, without " + AgentFlags.JOBS + " (parallelJobs 1)");
        }
    }

    /** Downloads, checks and writes the archive under {@code dir}. */
    static ArchiveSpool write(ObjectStore store, Manifest manifest, AgeIdentity identity, Path dir) {
        requireAllowed(manifest);
        Path file;
        try {
            file = Files.createTempFile(dir, "backtrack-spool-", ".pgdump");
        } catch (IOException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot create a file for the archive in " + dir + ": "
                    + e.getMessage() + "; nothing was restored", e);
        }
        long started = System.nanoTime();
        ArchiveScan scan;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), WRITE_BUFFER)) {
            scan = ArchiveScan.into(store, manifest, identity, out);
        } catch (IOException e) {
            // opening the file, or writing its last bytes when it closed
            throw noRoom(file, dir, e, file.toFile().length());
        } catch (ArchiveScan.SinkFailed e) {
            throw noRoom(file, dir, (IOException) e.getCause(), e.written());
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        StructuredLog.info("restore.spooled", "bytes", scan.uncompressedBytes(), "archiveBytes", scan.sizeBytes(),
                "seconds", (System.nanoTime() - started) / 1_000_000 / 1000.0);
        return new ArchiveSpool(file);
    }

    private static AgentFailure noRoom(Path file, Path dir, IOException cause, long written) {
        deleteQuietly(file);
        return new AgentFailure(Reason.RestoreFailed, "writing the decompressed archive to " + dir + " failed after "
                + written + " bytes: " + cause.getMessage() + "; nothing was restored. A restore with "
                + AgentFlags.JOBS + " (parallelJobs) needs room for the whole uncompressed dump there (the Job's /tmp): "
                + "give the restore Job more ephemeral storage, or restore streamed, without " + AgentFlags.JOBS, cause);
    }

    /** The archive's {@code -Fc} dump, checked against its manifest. */
    Path file() {
        return file;
    }

    @Override
    public void close() {
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // in the Job's emptyDir, which goes with the Pod
        }
    }
}
