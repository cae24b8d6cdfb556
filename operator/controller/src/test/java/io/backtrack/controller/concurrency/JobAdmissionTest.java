package io.backtrack.controller.concurrency;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobAdmissionTest {
    static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");

    @Test
    void belowTheCapABackupStarts() {
        assertThat(JobAdmission.decide(backup("a", "db1", 0), List.of(backup("x", "db9", -5)), List.of(), 2).admitted()).isTrue();
    }

    @Test
    void atTheCapItWaitsAndSaysWhy() {
        var d = JobAdmission.decide(backup("a", "db1", 0), List.of(backup("x", "db8", -5), backup("y", "db9", -5)), List.of(), 2);
        assertThat(d.admitted()).isFalse();
        assertThat(d.message()).contains("agent Job slot", "backtrack.agent.max-running-jobs=2");
    }

    @Test
    void oneJobPerDatabaseWhateverTheCap() {
        var d = JobAdmission.decide(backup("second", "db1", 0), List.of(backup("first", "db1", -5)), List.of(), 10);
        assertThat(d.admitted()).isFalse();
        assertThat(d.message()).contains("Backup shop/first", "same database");
    }

    @Test
    void waitingBackupsStartInCreationOrder() {
        // 1,000 schedules due at 02:00 and a cap of 10: the earliest created go first.
        List<Work> waiting = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            waiting.add(backup("run-" + i, "db" + i, i));
        }
        List<Work> holders = new ArrayList<>();
        List<String> started = new ArrayList<>();
        List<Work> reconciled = new ArrayList<>(waiting);
        Collections.reverse(reconciled); // reconciled in any order
        for (Work w : reconciled) {
            if (JobAdmission.decide(w, holders, waiting, 10).admitted()) {
                holders.add(w);
                started.add(w.id());
            }
        }
        assertThat(started).containsExactlyInAnyOrder("Backup/shop/run-0", "Backup/shop/run-1", "Backup/shop/run-2",
                "Backup/shop/run-3", "Backup/shop/run-4", "Backup/shop/run-5", "Backup/shop/run-6", "Backup/shop/run-7",
                "Backup/shop/run-8", "Backup/shop/run-9");
        var eleventh = JobAdmission.decide(waiting.get(10), holders, waiting, 10);
        assertThat(eleventh.admitted()).isFalse();
        assertThat(eleventh.message()).contains("max-running-jobs=10");
    }

    @Test
    void aLongQueueSaysHowFarBackEachWaiterIs() {
        List<Work> waiting = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            waiting.add(backup("run-" + i, "db" + i, i));
        }
        JobAdmission queue = new JobAdmission(List.of(backup("x", "dbx", -1)), waiting);
        assertThat(queue.decide(waiting.get(0), 1).ahead()).isZero();
        assertThat(queue.decide(waiting.get(42), 1).ahead()).isEqualTo(42);
        assertThat(queue.decide(backup("new", "db-new", 1000), 1).ahead()).as("not in the queue yet: at its end").isEqualTo(100);
        assertThat(queue.decide(waiting.get(3), 10).admitted()).isTrue();
        assertThat(queue.decide(waiting.get(9), 10).admitted()).as("9 ahead and 1 holder fill 10 slots").isFalse();
    }

    @Test
    void anEarlierWaiterThatCannotStartDoesNotHoldUpTheOthers() {
        Work running = backup("running", "db1", -10);
        Work blocked = backup("blocked", "db1", -5); // its database is busy
        Work next = backup("next", "db2", 0);
        assertThat(JobAdmission.decide(next, List.of(running), List.of(blocked, next), 2).admitted()).isTrue();
    }

    @Test
    void backupsOfOneDatabaseStartInCreationOrder() {
        Work older = backup("older", "db1", -5);
        Work newer = backup("newer", "db1", 0);
        var d = JobAdmission.decide(newer, List.of(), List.of(older, newer), 10);
        assertThat(d.admitted()).isFalse();
        assertThat(d.message()).contains("Backup shop/older", "queued earlier");
        assertThat(JobAdmission.decide(older, List.of(), List.of(older, newer), 10).admitted()).isTrue();
    }

    @Test
    void aRestoreGoesAheadOfWaitingBackupsButWaitsForABackupOfItsDatabase() {
        Work waitingBackup = backup("nightly", "db2", -60);
        Work restore = restore("incident", "db1", 0);
        assertThat(JobAdmission.decide(restore, List.of(backup("x", "db9", -90)), List.of(waitingBackup, restore), 2).admitted())
                .as("the one free slot goes to the Restore, not the Backup created earlier").isTrue();
        var backupDecision = JobAdmission.decide(waitingBackup, List.of(backup("x", "db9", -90)), List.of(waitingBackup, restore), 2);
        assertThat(backupDecision.admitted()).isFalse();
        assertThat(backupDecision.message()).contains("queued earlier");

        var behindBackup = JobAdmission.decide(restore, List.of(backup("nightly-db1", "db1", -90)), List.of(restore), 10);
        assertThat(behindBackup.admitted()).isFalse();
        assertThat(behindBackup.message()).contains("Backup shop/nightly-db1");
    }

    @Test
    void whatAlreadyHoldsASlotKeepsIt() {
        Work restore = restore("incident", "db1", 0);
        assertThat(JobAdmission.decide(restore, List.of(restore, backup("x", "db2", 0)), List.of(), 2).admitted()).isTrue();
    }

    @Test
    void aCleanupNeedsOnlyAFreeSlot() {
        Work cleanup = new Work("Cleanup/shop/old", null, false, T0, "cleanup of Backup shop/old");
        assertThat(JobAdmission.decide(cleanup, List.of(backup("x", "db1", 0)), List.of(), 2).admitted()).isTrue();
        assertThat(JobAdmission.decide(cleanup, List.of(backup("x", "db1", 0), backup("y", "db2", 0)), List.of(), 2).admitted())
                .isFalse();
    }

    static Work backup(String name, String database, int secondsAfterT0) {
        return new Work("Backup/shop/" + name, database, false, T0.plusSeconds(secondsAfterT0), "Backup shop/" + name);
    }

    static Work restore(String name, String database, int secondsAfterT0) {
        return new Work("Restore/shop/" + name, database, true, T0.plusSeconds(secondsAfterT0), "Restore shop/" + name);
    }
}
