package io.backtrack.controller.retention;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.BackupSpec;
import io.backtrack.api.backup.BackupStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TtlExpiryTest {
    static final Instant EXPIRES = Instant.parse("2026-12-22T02:00:00Z");

    static Backup backup() {
        Backup b = new Backup();
        b.setMetadata(new ObjectMetaBuilder().withName("b").withNamespace("shop").build());
        b.setSpec(new BackupSpec(null, null, null, null, null, null, "720h", null, null));
        b.setStatus(new BackupStatus(BackupPhase.Completed, null, null, null, null, "j", null, null, EXPIRES.toString(), null, 1L));
        return b;
    }

    @Test
    void beforeExpiryItWaitsUntilThen() {
        var d = TtlExpiry.decide(backup(), EXPIRES.minusSeconds(60));
        assertThat(d.prune()).isEmpty();
        assertThat(d.recheckAfter()).contains(Duration.ofSeconds(60));
    }

    @Test
    void atExpiryAStandaloneBackupIsPruned() {
        assertThat(TtlExpiry.decide(backup(), EXPIRES).prune()).contains("ttl 720h expired at 2026-12-22T02:00:00Z");
    }

    @Test
    void aBackupInUseByARestoreIsNotPruned() {
        Backup b = backup();
        b.getMetadata().setLabels(Map.of(BacktrackApi.IN_USE_BY_RESTORE_LABEL, "incident"));
        var d = TtlExpiry.decide(b, EXPIRES.plusSeconds(1));
        assertThat(d.prune()).isEmpty();
        assertThat(d.recheckAfter()).isPresent();
        Backup f = backup();
        f.getMetadata().setFinalizers(java.util.List.of(BacktrackApi.RESTORE_PROTECTION_FINALIZER));
        assertThat(TtlExpiry.decide(f, EXPIRES.plusSeconds(1)).prune()).isEmpty();
    }

    @Test
    void aScheduledBackupIsLeftToItsSchedulesRetentionEvenOnceTheScheduleIsGone() {
        Backup b = backup();
        b.getMetadata().setLabels(Map.of(BacktrackApi.SCHEDULE_LABEL, "nightly"));
        var d = TtlExpiry.decide(b, EXPIRES.plusSeconds(1));
        assertThat(d.prune()).isEmpty();
        assertThat(d.recheckAfter()).isEmpty();
    }
}
