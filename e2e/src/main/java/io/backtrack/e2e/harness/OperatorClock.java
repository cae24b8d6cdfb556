package io.backtrack.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The operator's test clock: the operator process reads its time as the system clock plus the offset in this
 * file ({@code backtrack.clock.offset-file}). Time only moves forward, so every scenario sharing the operator sees
 * a consistent clock. The operator re-reads the file within 100 ms and, in the harness, reconciles every schedule
 * at least once a second, so a jump takes effect within about a second.
 */
public final class OperatorClock {
    private static final Duration MARGIN = Duration.ofSeconds(2);

    private final Path file;
    private Duration offset = Duration.ZERO;

    OperatorClock(Path file) {
        this.file = file;
        write(Duration.ZERO);
    }

    public Path file() {
        return file;
    }

    /** The operator's current time. */
    public synchronized Instant now() {
        return Instant.now().plus(offset);
    }

    /** Moves the operator's time to a little past {@code target} (never backwards). */
    public synchronized Instant advanceTo(Instant target) {
        Duration wanted = Duration.between(Instant.now(), target.plus(MARGIN));
        if (wanted.compareTo(offset) > 0) {
            write(wanted);
        }
        return now();
    }

    public synchronized Instant advance(Duration by) {
        write(offset.plus(by));
        return now();
    }

    private void write(Duration value) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, value.toString());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            offset = value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator's clock offset to " + file, e);
        }
    }
}
