package io.backtrack.e2e.lifecycle;

import io.backtrack.api.backup.Backup;
import io.backtrack.api.backup.BackupPhase;
import io.backtrack.api.job.JobSettings;
import io.backtrack.e2e.cluster.NodeRunner;
import io.backtrack.e2e.harness.BackupFactory;
import io.backtrack.e2e.harness.BacktrackEnvironment;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup Job whose Pod cannot run, as on a real cluster: no node matches its nodeSelector (the scheduler leaves it
 * Pending, Unschedulable), or the node it lands on cannot pull its image (ImagePullBackOff). These record what the
 * Backup's status shows today: it stays Running, with its Job named, until the Job's activeDeadlineSeconds.
 */
class UnrunnableJobPodTest {
    static final String NS = "unrunnable";
    static final String BUCKET = "unrunnable";
    static final String NO_IMAGES = "no-images-node";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static BacktrackEnvironment env;
    static BackupFactory backups;
    static NodeRunner noImages;

    @BeforeAll
    static void environment() {
        env = BacktrackEnvironment.shared();
        env.prepare(NS, BUCKET, "shop");
        backups = BackupFactory.of(env, "shop", BUCKET);
        // A second node that can pull (run) no image at all; tainted, so only Pods that ask for it land there.
        noImages = NodeRunner.builder(env.cluster().client()).nodeName(NO_IMAGES)
                .nodeLabel("backtrack.test/node", NO_IMAGES).noScheduleTaint("backtrack.test/no-images", "true").start();
    }

    /**
     * A stuck Backup holds its database's agent Job slot (one agent Job per database): delete it, and wait until its
     * Job is gone, so the next scenario's Backup of the same database is not queued behind it.
     */
    @AfterEach
    void deleteStuckBackups() {
        env.client().resources(Backup.class).inNamespace(NS).delete();
        env.await("the stuck Backups and their Jobs gone", () -> env.client().resources(Backup.class).inNamespace(NS)
                .list().getItems().isEmpty() && env.client().batch().v1().jobs().inNamespace(NS).list().getItems()
                .isEmpty(), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        noImages.close();
        env.client().nodes().withName(NO_IMAGES).delete();
    }

    @Test
    void aBackupWhosePodNoNodeCanTakeStaysRunningTodayWithItsPodUnschedulable() {
        Backup backup = backups.withJob(new JobSettings(600L, 0, null, Map.of("backtrack.test/node", "no-such-node"), null))
                .build(NS, "nowhere");
        env.client().resource(backup).create();
        Pod pod = awaitPod("nowhere", p -> p.getStatus().getConditions().stream()
                .anyMatch(c -> "PodScheduled".equals(c.getType()) && "Unschedulable".equals(c.getReason())));
        assertThat(pod.getSpec().getNodeName()).isNull();
        assertThat(env.backup(NS, "nowhere").getStatus().phase()).isEqualTo(BackupPhase.Running);
    }

    @Test
    void aBackupWhosePodsImageCannotBePulledStaysRunningTodayWithItsPodInImagePullBackOff() {
        Backup backup = backups.withJob(new JobSettings(600L, 0, null, Map.of("backtrack.test/node", NO_IMAGES),
                List.of(new TolerationBuilder().withKey("backtrack.test/no-images").withOperator("Exists").build())))
                .build(NS, "no-pull");
        env.client().resource(backup).create();
        Pod pod = awaitPod("no-pull", p -> p.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> c.getState().getWaiting() != null && "ImagePullBackOff".equals(c.getState().getWaiting().getReason())));
        assertThat(pod.getSpec().getNodeName()).isEqualTo(NO_IMAGES);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(env.backup(NS, "no-pull").getStatus().phase()).isEqualTo(BackupPhase.Running);
    }

    private static Pod awaitPod(String backup, java.util.function.Predicate<Pod> condition) {
        Pod[] found = new Pod[1];
        env.await("the Pod of " + backup, () -> {
            var status = env.backup(NS, backup).getStatus();
            if (status == null || status.jobName() == null) {
                return false;
            }
            List<Pod> pods = env.client().pods().inNamespace(NS).withLabel("job-name", status.jobName()).list().getItems();
            found[0] = pods.stream().filter(p -> p.getStatus() != null && condition.test(p)).findFirst().orElse(null);
            return found[0] != null;
        }, TIMEOUT, () -> "Backup status: " + env.backup(NS, backup).getStatus() + "\nJobs: "
                + env.client().batch().v1().jobs().inAnyNamespace().list().getItems().stream()
                .map(j -> j.getMetadata().getNamespace() + "/" + j.getMetadata().getName() + " " + j.getStatus()).toList()
                + "\nmetrics: " + env.operator().get("/q/metrics").body().lines()
                .filter(l -> l.startsWith("backtrack_agent_jobs")).toList());
        return found[0];
    }
}
