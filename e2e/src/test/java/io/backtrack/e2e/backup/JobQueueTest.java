package io.backtrack.e2e.backup;

import io.backtrack.api.BacktrackApi;
import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
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
                    && queued(order.get(1)) && queued(order.get(2)), TIMEOUT);
            sleep(2000);
            assertThat(phase(order.get(0))).isEqualTo(BackupPhase.Running);
            for (String waiting : order.subList(1, 3)) {
                Backup b = env.backup(NS, waiting);
                assertThat(b.getStatus().jobName()).as("%s has no Job yet", waiting).isNull();
                assertThat(ready(b).getMessage()).as("%s", b.getStatus()).contains("agent Job slot", "max-running-jobs=1");
            }
            assertThat(env.eventReasons(NS, order.get(1), "Queued")).contains("Queued");
            lock.rollback();
        }
        for (String name : order) {
            Backup done = env.awaitBackup(NS, name, b -> b.getStatus() != null && b.getStatus().phase() != null
                    && b.getStatus().phase().isTerminal(), TIMEOUT);
            assertThat(done.getStatus().phase()).as("%s: %s", name, done.getStatus()).isEqualTo(BackupPhase.Completed);
        }
        assertOneAfterTheOther(order);
    }

    @Test
    void twoBackupsOfOneDatabaseNeverOverlapWhileOthersRun() throws Exception {
        env.restartOperator(Map.of("BACKTRACK_AGENT_MAX_RUNNING_JOBS", "5"));
        BackupFactory same = backups.withDatabase(env.postgres().host(), env.postgres().port(), "queue_same");
        try (Connection lock = lockCustomers("queue_same")) {
            env.client().resource(same.build(NS, "same-first")).create();
            env.awaitBackup(NS, "same-first", b -> b.getStatus() != null && b.getStatus().phase() == BackupPhase.Running, TIMEOUT);
            env.client().resource(same.build(NS, "same-second")).create();
            env.await("same-second Queued", () -> queued("same-second"), TIMEOUT);
            assertThat(ready(env.backup(NS, "same-second")).getMessage()).contains("same-first");

            // Another database is not held up: it runs and completes while the first is still running.
            env.client().resource(backups.withDatabase(env.postgres().host(), env.postgres().port(), "queue_other")
                    .build(NS, "other-db")).create();
            Backup other = env.awaitBackup(NS, "other-db", b -> b.getStatus() != null && b.getStatus().phase() != null
                    && b.getStatus().phase().isTerminal(), TIMEOUT);
            assertThat(other.getStatus().phase()).as("%s", other.getStatus()).isEqualTo(BackupPhase.Completed);
            assertThat(phase("same-first")).isEqualTo(BackupPhase.Running);
            assertThat(queued("same-second")).as("%s", env.backup(NS, "same-second").getStatus()).isTrue();
            lock.rollback();
        }
        for (String name : List.of("same-first", "same-second")) {
            Backup done = env.awaitBackup(NS, name, b -> b.getStatus() != null && b.getStatus().phase() != null
                    && b.getStatus().phase().isTerminal(), TIMEOUT);
            assertThat(done.getStatus().phase()).as("%s: %s", name, done.getStatus()).isEqualTo(BackupPhase.Completed);
        }
        assertOneAfterTheOther(List.of("same-first", "same-second"));
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
    private static void assertOneAfterTheOther(List<String> names) {
        Job previous = null;
        for (String name : names) {
            Job job = jobOf(name);
            if (previous != null) {
                assertThat(Instant.parse(job.getStatus().getStartTime()))
                        .as("%s started after %s completed", name, previous.getMetadata().getName())
                        .isAfterOrEqualTo(Instant.parse(previous.getStatus().getCompletionTime()));
                assertThat(job.getMetadata().getCreationTimestamp()).isGreaterThanOrEqualTo(previous.getMetadata().getCreationTimestamp());
            }
            previous = job;
        }
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
