package io.backtrack.agent.stream;

import java.io.IOException;

/**
 * Thrown inside an archive's stream when its bytes are refused: the SHA-256 or size does not match the manifest, or
 * an encrypted archive's ciphertext fails age's authentication (changed or truncated after the backup). A reader
 * that meets it must never let what it read so far count as a restore.
 */
public final class ArchiveCorruptException extends IOException {
    public ArchiveCorruptException(String message) {
        super(message);
    }
}
