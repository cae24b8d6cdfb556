package io.backtrack.e2e.schedule;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.api.schedule.BackupSchedule;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.ScheduleFactory;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.backtrack.e2e.schedule.ScheduleSteps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schedule's Backups belong to no one but themselves: deleting or renaming the schedule (a GitOps prune) leaves
 * every Backup and archive in place. They are linked to their schedule by the backtrack.io/schedule label only.
 */
class ScheduleOwnershipTest {
    static final String NS = "schedule-ownership";
    static final String DB = "shop";
    static final String BUCKET = "db-backups";

    static BacktrackEnvironment env;
    static ScheduleSteps steps;
    static ScheduleFactory schedules;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, DB);
        steps = new ScheduleSteps(env, NS);
        schedules = ScheduleFactory.of(BackupFactory.of(env, DB, BUCKET), "0 * * * *");
    }

    @AfterEach
    void deleteSchedules() {
        steps.delete("nightly");
        steps.delete("nightly-renamed");
        steps.delete("legacy");
    }

    @Test
    void aBackupAnOlderOperatorMadeTheSchedulesDependentIsReleased() {
        BackupSchedule legacy = steps.apply(schedules.suspended(true).build(NS, "legacy"));
        Backup old = BackupFactory.of(env, DB, BUCKET).build(NS, "legacy-20260101-000000");
        old.getMetadata().setLabels(Map.of(BacktrackApi.SCHEDULE_LABEL, "legacy"));
        old.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("backtrack.io/v1alpha1")
                .withKind("BackupSchedule").withName("legacy").withUid(legacy.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).build()));
        env.client().resource(old).create();
        env.await("the schedule's owner reference taken off its Backup", () -> {
            Backup now = env.backup(NS, "legacy-20260101-000000");
            return now != null && (now.getMetadata().getOwnerReferences() == null || now.getMetadata().getOwnerReferences().isEmpty());
        }, TIMEOUT);
    }

    @Test
    void deletingOrRenamingAScheduleKeepsItsBackupsAndTheirArchives() {
        steps.apply(schedules.build(NS, "nightly"));
        List<Backup> runs = List.of(steps.fireAndFinish("nightly"), steps.fireAndFinish("nightly"));
        for (Backup run : runs) {
            assertThat(run.getStatus().phase()).as("%s: %s", run.getMetadata().getName(), run.getStatus()).isEqualTo(BackupPhase.Completed);
            assertThat(run.getSpec().deletionPolicyOrDefault()).as("a schedule's default").isEqualTo(DeletionPolicy.Delete);
            assertThat(run.getMetadata().getOwnerReferences()).as("owners of %s", run.getMetadata().getName())
                    .noneMatch(o -> "BackupSchedule".equals(o.getKind()));
        }

        env.client().resources(BackupSchedule.class).inNamespace(NS).withName("nightly").delete();
        env.await("schedule nightly deleted", () -> env.schedule(NS, "nightly") == null, TIMEOUT);
        sleep(3000); // a garbage collector and the operator have had their turn
        assertKept(runs);

        // Renamed in Git: the new schedule starts its own history, and its retention never touches the old runs.
        steps.apply(schedules.withKeepLast(1).build(NS, "nightly-renamed"));
        steps.fireAndFinish("nightly-renamed");
        String newest = steps.fireAndFinish("nightly-renamed").getMetadata().getName();
        env.awaitSchedule(NS, "nightly-renamed", s -> s.getStatus().retention() != null
                && s.getStatus().retention().pruned() != null, TIMEOUT);
        assertThat(steps.names("nightly-renamed")).containsExactly(newest);
        assertKept(runs);

        // The old name back (Argo CD re-creating it) finds its runs again by their label.
        steps.apply(schedules.build(NS, "nightly"));
        BackupSchedule back = env.awaitSchedule(NS, "nightly",
                s -> Objects.equals(s.getStatus().lastSuccessfulBackup(), runs.get(1).getMetadata().getName()), TIMEOUT);
        assertThat(back.getStatus().lastSuccessfulBackup()).isEqualTo(runs.get(1).getMetadata().getName());
        assertKept(runs);
    }

    private static void assertKept(List<Backup> runs) {
        for (Backup run : runs) {
            Backup now = env.backup(NS, run.getMetadata().getName());
            assertThat(now).as("Backup %s", run.getMetadata().getName()).isNotNull();
            assertThat(now.getMetadata().getDeletionTimestamp()).as("Backup %s being deleted", run.getMetadata().getName()).isNull();
            assertThat(env.s3().listKeys(BUCKET, run.getStatus().archive().key() + "/"))
                    .contains(run.getStatus().archive().manifestKey(), run.getStatus().archive().archiveKey());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
