package io.backtrack.controller.retention;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Backup ttl: when a Backup's status.expiresAt has passed, it is pruned. A Backup a BackupSchedule created
 * (label backtrack.io/schedule) is left to that schedule's retention ({@link RetentionSelector}), which applies the schedule's guarantees;
 * a standalone Backup is pruned here, unless a Restore is using it.
 */
public final class TtlExpiry {
    static final Duration PROTECTED_RECHECK = Duration.ofMinutes(1);

    /**
     * @param prune        delete the Backup now, with this reason
     * @param recheckAfter look again after this long (empty: nothing to wait for)
     */
    public record Decision(Optional<String> prune, Optional<Duration> recheckAfter) {
        static Decision nothing() {
            return new Decision(Optional.empty(), Optional.empty());
        }
    }

    private TtlExpiry() {
    }

    public static Decision decide(Backup backup, Instant now) {
        String expiresAt = backup.getStatus() == null ? null : backup.getStatus().expiresAt();
        if (expiresAt == null || ownedBySchedule(backup)) {
            return Decision.nothing();
        }
        Instant expiry = Instant.parse(expiresAt);
        if (now.isBefore(expiry)) {
            return new Decision(Optional.empty(), Optional.of(Duration.between(now, expiry)));
        }
        if (RestoreProtection.of(backup).isPresent()) {
            return new Decision(Optional.empty(), Optional.of(PROTECTED_RECHECK));
        }
        return new Decision(Optional.of("ttl " + backup.getSpec().ttl() + " expired at " + expiresAt), Optional.empty());
    }

    /**
     * A schedule's Backup (label backtrack.io/schedule): its schedule's retention decides. One whose schedule was
     * deleted is kept as it is: deleting a schedule never deletes its Backups, not even later by their ttl.
     */
    static boolean ownedBySchedule(Backup backup) {
        var labels = backup.getMetadata().getLabels();
        return labels != null && labels.containsKey(BacktrackApi.SCHEDULE_LABEL);
    }
}
