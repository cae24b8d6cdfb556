package io.backtrack.e2e.lifecycle;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.backup.DeletionPolicy;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting a namespace that holds Backups, with the real namespace lifecycle (the namespace controller deletes
 * everything in it, and nothing new may be created there meanwhile). Records what the operator does today; the
 * behaviour is being changed (issue 16), so the assertions are kept to the outcome.
 */
class NamespaceDeletionTest {
    static final String BUCKET = "teardown";
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    static BacktrackEnvironment env;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.s3().createBucket(BUCKET);
    }

    @Test
    void aNamespaceWithARetainBackupIsDeletedAndTheArchiveKept() {
        String ns = "teardown-retain";
        assertArchiveKeptAfterDeleting(ns, completedBackup(ns, DeletionPolicy.Retain));
    }

    @Test
    void aNamespaceWithADeletePolicyBackupIsDeletedTodayAndItsArchiveLeftInPlace() {
        // The operator's cleanup Job cannot be created in a terminating namespace, and the namespace controller has
        // deleted the S3 Secret: today the finalizer is dropped and the archive stays.
        String ns = "teardown-delete";
        assertArchiveKeptAfterDeleting(ns, completedBackup(ns, DeletionPolicy.Delete));
    }

    /** Deletes the namespace, waits until it is gone, and finds the Backup's archive still in the bucket. */
    private static void assertArchiveKeptAfterDeleting(String ns, Backup done) {
        env.client().namespaces().withName(ns).delete();
        env.await("namespace " + ns + " gone", () -> env.client().namespaces().withName(ns).get() == null, TIMEOUT);
        assertThat(env.s3().listKeys(BUCKET, done.getStatus().archive().key() + "/")).contains(done.getStatus().archive().manifestKey());
    }

    private static Backup completedBackup(String ns, DeletionPolicy policy) {
        env.prepare(ns, BUCKET, "shop");
        env.client().resource(BackupFactory.of(env, "shop", BUCKET).withDeletionPolicy(policy).build(ns, "doomed")).create();
        Backup done = env.awaitBackup(ns, "doomed", b -> b.getStatus() != null && b.getStatus().phase() != null
                && b.getStatus().phase().isTerminal(), TIMEOUT);
        assertThat(done.getStatus().phase()).as("%s", done.getStatus()).isEqualTo(BackupPhase.Completed);
        return done;
    }
}
