package io.backtrack.controller.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * One clock for the whole operator, so schedules and expiry can be tested without waiting. Production uses the
 * system clock; {@code backtrack.clock.offset-file} (tests only, off by default) adds an offset read from a file.
 */
@ApplicationScoped
public class ClockProducer {
    private static final Logger LOG = Logger.getLogger(ClockProducer.class);

    private final Optional<String> offsetFile;

    public ClockProducer(BacktrackConfig config) {
        this.offsetFile = config.clock().offsetFile();
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        if (offsetFile.isPresent() && !offsetFile.get().isBlank()) {
            LOG.warnf("test clock: time is the system clock plus the offset in %s", offsetFile.get());
            return new OffsetFileClock(Path.of(offsetFile.get()), Clock.systemUTC());
        }
        return Clock.systemUTC();
    }
}
