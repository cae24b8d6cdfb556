package io.backtrack.e2e.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.backtrack.e2e.harness.RestoreFactory;
import io.backtrack.e2e.postgres.SampleData;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator-wide cap on running agent Jobs and one agent Job per database: waiting Backups are Pending with reason
 * Queued and start in creation order. A table lock held by the test keeps the first backup running for as long as the
 * scenario needs to look at the queue.
 */
class JobQueueTest {
    static final String NS = "queue";
    static final String BUCKET = "db-backups";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    static BacktrackEnvironment env;
    static BackupFactory backups;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, null);
        for (String db : List.of("queue_a", "queue_b", "queue_c", "queue_same", "queue_other")) {
            if (!env.postgres().databaseExists(db)) {
                env.postgres().createDatabase(db);
                SampleData.load(env.postgres(), db);
            }
        }
        backups = BackupFactory.of(env, "queue_a", BUCKET);
    }

    @AfterAll
    static void defaultSettings() {
        env.restartOperator(Map.of());
    }

    @Test
    void withACapOfOneBackupsWaitQueuedAndRunOneAtATimeInCreationOrder() throws Exception {
        awaitNoAgentWorkElsewhere();
        env.restartOperator(Map.of("BACKTRACK_AGENT_MAX_RUNNING_JOBS", "1"));
        // Created one after another, more than a second apart (creation timestamps have whole seconds), and named
        // against the alphabet: the order is the creation order, not the names'.
        List<String> order = List.of("cap-3", "cap-2", "cap-1");
        List<String> databases = List.of("queue_a", "queue_b", "queue_c");
        try (Connection lock = lockCustomers("queue_a")) {
            for (int i = 0; i < order.size(); i++) {
                env.client().resource(backups.withDatabase(env.postgres().host(), env.postgres().port(), databases.get(i))
                        .build(NS, order.get(i))).create();
                sleep(1100);
            }
            env.await("one backup Running and two Queued", () -> phase(order.get(0)) == BackupPhase.Running
                    && queued(order.get(1)) && queued(order.get(2)), TIMEOUT,
                    () -> order.stream().map(n -> n + ": " + env.backup(NS, n).getStatus()).toList() + "\n" + agentWorkElsewhere());
            sleep(2000);
            assertThat(phase(order.get(0))).isEqualTo(BackupPhase.Running);
            for (String waiting : order.subList(1, 3)) {
                Backup b = env.backup(NS, waiting);
                assertThat(b.getStatus().jobName()).as("%s has no Job yet", waiting).isNull();
                assertThat(ready(b).getMessage()).as("%s", b.getStatus()).contains("agent Job slot", "max-running-jobs=1");
            }
            assertThat(env.eventReasons(NS, order.get(1), "Queued")).contains("Queued");

            // A crashed and restarted operator counts what runs from the cluster: the queue stays as it was.
            env.operator().kill();
            env.operator().start();
            sleep(7000); // longer than a queued Backup's recheck
            assertThat(phase(order.get(0))).isEqualTo(BackupPhase.Running);
            for (String waiting : order.subList(1, 3)) {
                assertThat(queued(waiting)).as("%s after the restart: %s", waiting, env.backup(NS, waiting).getStatus()).isTrue();
                assertThat(env.backup(NS, waiting).getStatus().jobName()).isNull();
            }
            lock.rollback();
        }
        for (String name : order) {
            Backup done = env.awaitBackup(NS, name, b -> b.getStatus() != null && b.getStatus().phase() != null
                    && b.getStatus().phase().isTerminal(), TIMEOUT);
            assertThat(done.getStatus().phase()).as("%s: %s", name, done.getStatus()).isEqualTo(BackupPhase.Completed);
        }
        assertBackupsOneAfterTheOther(order);
    }

    @Test
    void twoBackupsOfOneDatabaseNeverOverlapAndARestoreOfItWaitsForTheRunningOne() throws Exception {
        env.restartOperator(Map.of("BACKTRACK_AGENT_MAX_RUNNING_JOBS", "5"));
        BackupFactory same = backups.withDatabase(env.postgres().host(), env.postgres().port(), "queue_same");
        Backup base = awaitTerminal(env.client().resource(same.build(NS, "same-base")).create().getMetadata().getName());
        assertThat(base.getStatus().phase()).as("%s", base.getStatus()).isEqualTo(BackupPhase.Completed);
        try (Connection lock = lockCustomers("queue_same")) {
            env.client().resource(same.build(NS, "same-first")).create();
            env.awaitBackup(NS, "same-first", b -> b.getStatus() != null && b.getStatus().phase() == BackupPhase.Running, TIMEOUT);
            env.client().resource(same.build(NS, "same-second")).create();
            env.await("same-second Queued", () -> queued("same-second"), TIMEOUT);
            assertThat(ready(env.backup(NS, "same-second")).getMessage()).contains("same-first");

            // Another database is not held up: it runs and completes while the first is still running.
            env.client().resource(backups.withDatabase(env.postgres().host(), env.postgres().port(), "queue_other")
                    .build(NS, "other-db")).create();
            Backup other = awaitTerminal("other-db");
            assertThat(other.getStatus().phase()).as("%s", other.getStatus()).isEqualTo(BackupPhase.Completed);
            assertThat(phase("same-first")).isEqualTo(BackupPhase.Running);

            // A Restore of that database waits for the running Backup, and goes ahead of the queued one.
            env.client().resource(RestoreFactory.ofBackup("same-base").build(NS, "same-restore")).create();
            env.await("same-restore Queued", () -> {
                Restore r = env.restore(NS, "same-restore");
                return r != null && r.getStatus() != null && r.getStatus().conditions() != null && r.getStatus().conditions()
                        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "Queued".equals(c.getReason())
                                && c.getMessage().contains("same-first"));
            }, TIMEOUT);
            assertThat(env.restore(NS, "same-restore").getStatus().phase()).isEqualTo(RestorePhase.Pending);
            assertThat(phase("same-second")).as("%s", env.backup(NS, "same-second").getStatus()).isEqualTo(BackupPhase.Pending);
            lock.rollback();
        }
        assertThat(awaitTerminal("same-first").getStatus().phase()).isEqualTo(BackupPhase.Completed);
        Restore restored = env.awaitRestore(NS, "same-restore", r -> r.getStatus() != null && r.getStatus().phase() != null
                && r.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(restored.getStatus().phase()).as("%s", restored.getStatus()).isEqualTo(RestorePhase.Completed);
        assertThat(awaitTerminal("same-second").getStatus().phase()).isEqualTo(BackupPhase.Completed);

        List<Job> order = new ArrayList<>(List.of(jobOf("same-first")));
        order.addAll(restoreJobs("same-restore"));
        order.add(jobOf("same-second"));
        assertOneAfterTheOther(order);
    }

    /**
     * The cap counts every namespace's running Jobs and Restores in progress: work another test class left running
     * would take the only slot, so this case starts once there is none, and says what held it otherwise.
     */
    private static void awaitNoAgentWorkElsewhere() {
        env.await("no agent Job running and no Restore in progress in any namespace", () -> agentWorkElsewhere().isEmpty(),
                TIMEOUT, () -> "still in progress: " + agentWorkElsewhere());
    }

    private static List<String> agentWorkElsewhere() {
        List<String> busy = new ArrayList<>();
        env.client().batch().v1().jobs().inAnyNamespace().withLabel(BacktrackApi.MANAGED_BY_LABEL).list().getItems().stream()
                .filter(j -> j.getStatus() == null || j.getStatus().getCompletionTime() == null && !failed(j))
                .forEach(j -> busy.add("Job " + j.getMetadata().getNamespace() + "/" + j.getMetadata().getName()));
        env.client().resources(Restore.class).inAnyNamespace().list().getItems().stream()
                .filter(r -> r.getStatus() == null || r.getStatus().phase() == null || !r.getStatus().phase().isTerminal())
                .forEach(r -> busy.add("Restore " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()));
        return busy;
    }

    private static boolean failed(Job job) {
        return job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** A transaction holding an exclusive lock on public.customers: a backup of that database waits for it. */
    private static Connection lockCustomers(String db) throws SQLException {
        Connection c = env.postgres().connect(db);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE public.customers IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    /** Each Backup's Job started after the previous one's had completed (the Jobs' own times, whole seconds). */
    private static void assertBackupsOneAfterTheOther(List<String> names) {
        assertOneAfterTheOther(names.stream().map(JobQueueTest::jobOf).toList());
    }

    private static void assertOneAfterTheOther(List<Job> jobs) {
        Job previous = null;
        for (Job job : jobs) {
            String name = job.getMetadata().getName();
            if (previous != null) {
                assertThat(Instant.parse(job.getStatus().getStartTime()))
                        .as("%s started after %s completed", name, previous.getMetadata().getName())
                        .isAfterOrEqualTo(Instant.parse(previous.getStatus().getCompletionTime()));
                assertThat(job.getMetadata().getCreationTimestamp()).isGreaterThanOrEqualTo(previous.getMetadata().getCreationTimestamp());
            }
            previous = job;
        }
    }

    /** The restore's step Jobs (the safety backup's included), in the order they ran. */
    private static List<Job> restoreJobs(String restore) {
        Restore r = env.restore(NS, restore);
        List<Job> jobs = new ArrayList<>(env.client().batch().v1().jobs().inNamespace(NS).withLabel(BacktrackApi.RESTORE_LABEL, restore)
                .list().getItems());
        jobs.sort(Comparator.comparing((Job j) -> j.getStatus().getStartTime()).thenComparing(j -> j.getStatus().getCompletionTime()));
        assertThat(jobs).as("check, safety backup %s, restore and verify Jobs", r.getStatus().safetyBackupName()).hasSize(4);
        return jobs;
    }

    private static Backup awaitTerminal(String name) {
        return env.awaitBackup(NS, name, b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
    }

    private static Job jobOf(String backup) {
        return env.client().batch().v1().jobs().inNamespace(NS).withLabel(BacktrackApi.BACKUP_LABEL, backup).list().getItems()
                .stream().findFirst().orElseThrow(() -> new AssertionError("no Job of Backup " + backup));
    }

    private static BackupPhase phase(String name) {
        Backup b = env.backup(NS, name);
        return b == null || b.getStatus() == null ? null : b.getStatus().phase();
    }

    private static boolean queued(String name) {
        Backup b = env.backup(NS, name);
        return b != null && b.getStatus() != null && b.getStatus().phase() == BackupPhase.Pending && ready(b) != null
                && "Queued".equals(ready(b).getReason());
    }

    private static Condition ready(Backup b) {
        return b.getStatus().conditions() == null ? null
                : b.getStatus().conditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
