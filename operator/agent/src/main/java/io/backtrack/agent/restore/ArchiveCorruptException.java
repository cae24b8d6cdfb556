package io.backtrack.agent.restore;

import java.io.IOException;

/** Thrown inside the restore stream when the archive's SHA-256 or size does not match its manifest. */
final class ArchiveCorruptException extends IOException {
    ArchiveCorruptException(String message) {
        super(message);
    }
}
