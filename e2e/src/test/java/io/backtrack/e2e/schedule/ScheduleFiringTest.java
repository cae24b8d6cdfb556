package io.backtrack.e2e.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.api.schedule.ConcurrencyPolicy;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.PartialUploads;
import io.backtrack.e2e.harness.ScheduleFactory;
import io.backtrack.e2e.harness.SilentServer;
import org.junit.jupiter.api.AfterAll;
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

/** Firing, suspend, concurrency policies and missed runs, with the operator's clock moved instead of waited for. */
class ScheduleFiringTest {
    static final String NS = "schedule-firing";
    static final String DB = "shop";
    static final String BUCKET = "db-backups";

    static BacktrackEnvironment env;
    static ScheduleSteps steps;
    static ScheduleFactory real;
    static ScheduleFactory hanging;
    static SilentServer silent;
    static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, DB);
        steps = new ScheduleSteps(env, NS);
        BackupFactory backups = BackupFactory.of(env, DB, BUCKET);
        real = ScheduleFactory.of(backups, "0 * * * *");
        silent = SilentServer.start();
        // a database that accepts the connection and never answers: the backup stays Running for the agent's login timeout
        hanging = real.withBackups(backups.withDatabase("127.0.0.1", silent.port(), DB));
    }

    @AfterEach
    void deleteSchedules() {
        // a schedule left behind would fire on every later clock jump
        created.forEach(steps::delete);
        created.clear();
    }

    @AfterAll
    static void stopSilentServer() {
        silent.close();
    }

    static BackupSchedule apply(BackupSchedule s) {
        created.add(s.getMetadata().getName());
        return steps.apply(s);
    }

    @Test
    void aRunCreatesABackupLinkedToItsScheduleAndNothingAGitOpsToolWouldClaim() {
        BackupSchedule applied = apply(real.withCron("H * * * *").build(NS, "nightly"));
        var ready = ScheduleSteps.condition(applied, "Ready");
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getReason()).isEqualTo("Scheduled");
        // H resolved to a fixed minute for this schedule, and the next run is at that minute
        String minute = ready.getMessage().replaceAll(".*\\((\\d+) \\* \\* \\* \\* in UTC\\)$", "$1");
        Instant next = Instant.parse(applied.getStatus().nextScheduleTime());
        assertThat(next.atZone(java.time.ZoneOffset.UTC).getMinute()).isEqualTo(Integer.parseInt(minute));

        Instant due = steps.fire("nightly");
        assertThat(due).isEqualTo(next);
        String name = runName("nightly", due);
        Backup run = env.awaitBackup(NS, name, ScheduleSteps::terminal, TIMEOUT);
        assertThat(run.getStatus().phase()).as("status of %s: %s", name, run.getStatus()).isEqualTo(BackupPhase.Completed);

        var meta = run.getMetadata();
        assertThat(meta.getLabels()).containsEntry(BacktrackApi.SCHEDULE_LABEL, "nightly")
                .containsEntry(BacktrackApi.MANAGED_BY_LABEL, "backtrack").containsEntry("team", "orders");
        assertThat(meta.getLabels()).doesNotContainKeys(ScheduleFactory.GITOPS_LABELS.keySet().toArray(String[]::new));
        assertThat(meta.getAnnotations()).doesNotContainKeys(ScheduleFactory.GITOPS_ANNOTATIONS.keySet().toArray(String[]::new))
                .containsEntry(BacktrackApi.SCHEDULED_AT_ANNOTATION, due.toString());
        assertThat(meta.getAnnotations()).containsEntry(BacktrackApi.SCHEDULE_LABEL, "nightly");
        assertThat(meta.getOwnerReferences()).as("linked by the label only: deleting the schedule never deletes its runs")
                .isNullOrEmpty();
        assertThat(run.getSpec().deletionPolicy()).isEqualTo(DeletionPolicy.Delete);
        assertThat(run.getStatus().archive().key()).isEqualTo("e2e/" + NS + "/" + name);

        BackupSchedule after = env.awaitSchedule(NS, "nightly", s -> name.equals(s.getStatus().lastSuccessfulBackup()), TIMEOUT);
        assertThat(after.getStatus().lastScheduleTime()).isEqualTo(due.toString());
        assertThat(after.getStatus().nextScheduleTime()).isEqualTo(due.plus(Duration.ofHours(1)).toString());
        assertThat(after.getStatus().lastSuccessTime()).isEqualTo(run.getStatus().completedAt());
        assertThat(after.getStatus().active()).isNullOrEmpty();
        assertThat(ScheduleSteps.says(after, "LastBackupSucceeded", "True", "Completed")).isTrue();
        assertThat(steps.reasons("nightly", "RunStarted")).contains("RunStarted");
        assertThat(steps.names("nightly")).containsExactly(name);
    }

    @Test
    void aSuspendedScheduleStartsNothingButKeepsItsNextTime() {
        BackupSchedule applied = apply(real.suspended(true).build(NS, "paused"));
        assertThat(ScheduleSteps.says(applied, "Ready", "True", "Suspended")).isTrue();
        Instant next = Instant.parse(applied.getStatus().nextScheduleTime());
        env.operatorClock().advanceTo(next);
        BackupSchedule later = env.awaitSchedule(NS, "paused",
                s -> Instant.parse(s.getStatus().nextScheduleTime()).isAfter(next), TIMEOUT);
        assertThat(later.getStatus().lastScheduleTime()).isNull();
        assertThat(steps.backups("paused")).isEmpty();
    }

    @Test
    void forbidSkipsARunWhileThePreviousOneRunsAndRecordsIt() {
        apply(hanging.build(NS, "forbid"));
        Instant first = steps.fire("forbid");
        Instant second = steps.fire("forbid");
        BackupSchedule s = env.schedule(NS, "forbid");
        assertThat(steps.names("forbid")).containsExactly(runName("forbid", first));
        assertThat(s.getStatus().lastSkippedRun().reason()).isEqualTo("ConcurrencyForbid");
        assertThat(s.getStatus().lastSkippedRun().scheduledTime()).isEqualTo(second.toString());
        assertThat(s.getStatus().lastSkippedRun().message()).contains(runName("forbid", first) + " is still running");
        assertThat(s.getStatus().skippedRuns()).isEqualTo(1L);
        assertThat(s.getStatus().active()).containsExactly(runName("forbid", first));
        assertThat(steps.reasons("forbid", "RunStarted", "RunSkipped")).contains("RunStarted", "RunSkipped");
    }

    @Test
    void allowRunsBothAtOnce() {
        apply(hanging.withPolicy(ConcurrencyPolicy.Allow).build(NS, "allow"));
        Instant first = steps.fire("allow");
        Instant second = steps.fire("allow");
        assertThat(steps.names("allow")).containsExactly(runName("allow", first), runName("allow", second));
        assertThat(env.schedule(NS, "allow").getStatus().lastSkippedRun()).isNull();
    }

    @Test
    void replaceStopsTheRunningBackupAndAbortsItsPartialUpload() {
        apply(hanging.withPolicy(ConcurrencyPolicy.Replace).build(NS, "replace"));
        Instant first = steps.fire("replace");
        String firstRun = runName("replace", first);
        env.awaitBackup(NS, firstRun, b -> ScheduleSteps.phase(b, BackupPhase.Running), TIMEOUT);
        // what an agent killed after its first part leaves behind
        String folder = "e2e/" + NS + "/" + firstRun + "/";
        PartialUploads.start(env.s3(), BUCKET, folder + "archive.pgdump.zst");
        assertThat(env.s3().incompleteUploads(BUCKET, folder)).hasSize(1);

        Instant second = steps.fire("replace");
        steps.awaitGone(firstRun);
        assertThat(steps.names("replace")).containsExactly(runName("replace", second));
        assertThat(env.client().batch().v1().jobs().inNamespace(NS).withLabel(BacktrackApi.BACKUP_LABEL, firstRun).list().getItems()
                .stream().filter(j -> "backup".equals(j.getMetadata().getLabels().get(BacktrackApi.ROLE_LABEL)))
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null)).isEmpty();
        assertThat(env.s3().incompleteUploads(BUCKET, folder)).isEmpty();
        assertThat(env.s3().listKeys(BUCKET, folder)).isEmpty();
        assertThat(steps.events("replace", "RunReplaced")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(firstRun));
    }

    @Test
    void aRunMissedWhileTheOperatorWasDownIsTakenOnceWithinTheDeadlineAndSkippedBeyondIt() {
        // a template whose Secret does not exist: runs are created and go nowhere, which is all this needs
        var blocked = real.withBackups(BackupFactory.of(env, DB, BUCKET).withSecrets("no-such-secret", BacktrackEnvironment.S3_SECRET))
                .withStartingDeadlineSeconds(600L);
        apply(blocked.build(NS, "missed"));

        Instant first = steps.next("missed");
        env.operator().kill();
        env.operatorClock().advanceTo(first.plus(Duration.ofMinutes(5)));
        env.operator().start();
        env.awaitSchedule(NS, "missed", s -> first.toString().equals(s.getStatus().lastScheduleTime()), TIMEOUT);
        assertThat(steps.names("missed")).containsExactly(runName("missed", first));

        Instant second = steps.next("missed");
        env.operator().kill();
        env.operatorClock().advanceTo(second.plus(Duration.ofMinutes(20)));
        env.operator().start();
        BackupSchedule skipped = env.awaitSchedule(NS, "missed", s -> second.toString().equals(s.getStatus().lastScheduleTime()), TIMEOUT);
        assertThat(skipped.getStatus().lastSkippedRun().reason()).isEqualTo("MissedStartingDeadline");
        assertThat(skipped.getStatus().lastSkippedRun().scheduledTime()).isEqualTo(second.toString());
        assertThat(steps.names("missed")).containsExactly(runName("missed", first));
        assertThat(steps.events("missed", "RunSkipped")).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("startingDeadlineSeconds 600");
        });

        // down across three due times: only the latest is taken, the two before it are passed over
        Instant third = steps.next("missed");
        Instant latest = third.plus(Duration.ofHours(2));
        long skippedBefore = skipped.getStatus().skippedRuns();
        env.operator().kill();
        env.operatorClock().advanceTo(latest.plus(Duration.ofMinutes(5)));
        env.operator().start();
        BackupSchedule taken = env.awaitSchedule(NS, "missed", s -> latest.toString().equals(s.getStatus().lastScheduleTime()), TIMEOUT);
        assertThat(steps.names("missed")).containsExactly(runName("missed", first), runName("missed", latest));
        assertThat(taken.getStatus().skippedRuns()).isEqualTo(skippedBefore + 2);
    }
}
