package io.backtrack.e2e.schedule;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.Compression;
import io.backtrack.api.backup.CompressionAlgorithm;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.RetentionPolicy;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.ScheduleFactory;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.backtrack.e2e.schedule.ScheduleSteps.TIMEOUT;
import static io.backtrack.e2e.schedule.ScheduleSteps.runName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input: a clear Ready=False condition, a Warning Event and no Backups; a run that cannot start fails clearly. */
class ScheduleBadInputTest {
    static final String NS = "schedule-bad-input";
    static final String BUCKET = "db-backups";

    static BacktrackEnvironment env;
    static ScheduleSteps steps;
    static ScheduleFactory schedules;
    static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, null);
        steps = new ScheduleSteps(env, NS);
        schedules = ScheduleFactory.of(BackupFactory.of(env, "shop", BUCKET), "0 * * * *");
    }

    @AfterEach
    void deleteSchedules() {
        created.forEach(steps::delete);
        created.clear();
    }

    @Test
    void anInvalidCronExpression() {
        assertRefused(schedules.withCron("0 25 * * *").build(NS, "bad-cron"), "InvalidSchedule",
                "schedule \"0 25 * * *\" is not a valid cron expression");
    }

    @Test
    void anUnknownTimeZone() {
        assertRefused(schedules.withTimeZone("Europe/Atlantis").build(NS, "bad-zone"), "UnknownTimeZone",
                "timeZone \"Europe/Atlantis\" is not an IANA time zone name");
    }

    // The CRD's schema and CEL rules refuse these two at apply, before the operator sees them (the operator's own
    // checks are unit-tested in ScheduleValidatorTest).

    @Test
    void negativeKeepValuesAreRefusedAtApply() {
        assertRefusedAtApply(schedules.withRetention(new RetentionPolicy(-1, null, -3, null, null, null, null)).build(NS, "bad-keep"),
                "spec.retention.keepLast in body should be greater than or equal to 0",
                "spec.retention.keepDaily in body should be greater than or equal to 0");
    }

    @Test
    void aTemplateThatIsNotAValidBackupSpecIsRefusedAtApply() {
        var template = schedules.withBackups(BackupFactory.of(env, "shop", BUCKET)
                .withCompression(new Compression(CompressionAlgorithm.zstd, 99)));
        assertRefusedAtApply(template.build(NS, "bad-template"),
                "spec.backupTemplate.spec.compression", "compression level must be 1-22 for zstd, 1-9 for gzip, and absent for none");
    }

    @Test
    void aTemplateWithAMissingSecretFailsEachRunClearlyAndTheScheduleKeepsGoing() {
        var missing = schedules.withBackups(BackupFactory.of(env, "shop", BUCKET).withSecrets("no-such-secret", BacktrackEnvironment.S3_SECRET));
        created.add("no-secret");
        steps.apply(missing.build(NS, "no-secret"));
        Instant first = steps.fire("no-secret");
        String firstRun = runName("no-secret", first);
        Backup pending = env.awaitBackup(NS, firstRun, b -> ScheduleSteps.phase(b, BackupPhase.Pending), TIMEOUT);
        assertThat(pending.getStatus().conditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("SecretNotFound"));
        // A run that cannot start is recorded as failed and is not active (a later run may already be active on the
        // shared, moved clock; a status written while the run was being created may still list it, so wait for both).
        BackupSchedule s = env.awaitSchedule(NS, "no-secret", x -> firstRun.equals(x.getStatus().lastFailedBackup())
                && (x.getStatus().active() == null || !x.getStatus().active().contains(firstRun)), TIMEOUT);
        Condition last = ScheduleSteps.condition(s, "LastBackupSucceeded");
        assertThat(last.getStatus()).isEqualTo("False");
        assertThat(last.getReason()).isEqualTo("SecretNotFound");
        assertThat(last.getMessage()).contains("Secret " + NS + "/no-such-secret (database credentials) does not exist");

        // concurrencyPolicy Forbid (the default) does not wait for a run that cannot start
        Instant second = steps.fire("no-secret");
        env.await("the second run created", () -> steps.names("no-secret").contains(runName("no-secret", second)), TIMEOUT);
        assertThat(env.schedule(NS, "no-secret").getStatus().lastSkippedRun()).isNull();
    }

    private void assertRefusedAtApply(BackupSchedule schedule, String... messages) {
        assertThatThrownBy(() -> env.client().resource(schedule).create()).isInstanceOf(KubernetesClientException.class)
                .message().contains(messages);
        assertThat(env.schedule(NS, schedule.getMetadata().getName())).isNull();
    }

    private void assertRefused(BackupSchedule schedule, String reason, String message) {
        String name = schedule.getMetadata().getName();
        created.add(name);
        env.client().resource(schedule).create();
        BackupSchedule refused = env.awaitSchedule(NS, name, s -> ScheduleSteps.condition(s, "Ready") != null, TIMEOUT);
        Condition ready = ScheduleSteps.condition(refused, "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(reason);
        assertThat(ready.getMessage()).contains(message);
        assertThat(refused.getStatus().nextScheduleTime()).isNull();
        assertThat(steps.events(name, reason)).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains(message);
        });
        // hours pass: still nothing
        env.operatorClock().advance(Duration.ofHours(3));
        assertThat(steps.backups(name)).isEmpty();
    }
}
