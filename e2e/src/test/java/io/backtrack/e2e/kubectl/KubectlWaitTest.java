package io.backtrack.e2e.kubectl;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.e2e.cluster.ControlPlane;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a script, an Argo CD hook or a Flux health check waits on: {@code kubectl wait --for=condition=Completed}
 * (the bundled kubectl of the control plane's version) returns once a Backup has finished, whether it completed or
 * failed, and the kstatus conditions say which, each for the resource's generation.
 */
class KubectlWaitTest {
    static final String NS = "kubectl-wait";
    static final String BUCKET = "kubectl-wait";
    static final String TIMEOUT = "--timeout=180s";

    static BacktrackEnvironment env;
    static BackupFactory backups;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, "shop");
        backups = BackupFactory.of(env, "shop", BUCKET);
    }

    @Test
    void waitingForCompletedEndsOnACompletedBackupWithReadyTrue() {
        env.client().resource(backups.build(NS, "done")).create();

        ControlPlane.KubectlResult waited = env.kubectl("wait", "--for=condition=Completed", "dbbackup/done", "-n", NS, TIMEOUT);

        assertThat(waited.exit()).as("kubectl wait: %s %s", waited.out(), waited.err()).isZero();
        Backup done = env.backup(NS, "done");
        assertThat(done.getStatus().phase()).isEqualTo(BackupPhase.Completed);
        assertThat(conditions(done)).containsEntry("Completed", "True/Succeeded").containsEntry("Ready", "True/Completed")
                .containsEntry("Reconciling", "False/Completed").containsEntry("Stalled", "False/Completed");
        assertThat(done.getStatus().conditions()).allSatisfy(c -> assertThat(c.getObservedGeneration())
                .isEqualTo(done.getMetadata().getGeneration()));
    }

    @Test
    void waitingForCompletedEndsOnAFailedBackupWhichIsStalled() {
        env.client().resource(backups.withStorage(env.s3().endpoint(), "no-such-bucket").build(NS, "failed")).create();

        ControlPlane.KubectlResult waited = env.kubectl("wait", "--for=condition=Completed", "dbbackup/failed", "-n", NS, TIMEOUT);

        assertThat(waited.exit()).as("kubectl wait: %s %s", waited.out(), waited.err()).isZero();
        assertThat(env.kubectl("wait", "--for=condition=Stalled", "dbbackup/failed", "-n", NS, "--timeout=5s").exit()).isZero();
        Backup failed = env.backup(NS, "failed");
        assertThat(failed.getStatus().phase()).isEqualTo(BackupPhase.Failed);
        assertThat(conditions(failed)).containsEntry("Completed", "True/Failed").containsEntry("Ready", "False/BucketNotFound")
                .containsEntry("Reconciling", "False/BucketNotFound").containsEntry("Stalled", "True/BucketNotFound");
    }

    /** type → status/reason */
    private static Map<String, String> conditions(Backup backup) {
        return backup.getStatus().conditions().stream()
                .collect(Collectors.toMap(Condition::getType, c -> c.getStatus() + "/" + c.getReason()));
    }
}
