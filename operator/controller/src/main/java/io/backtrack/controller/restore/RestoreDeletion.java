package io.backtrack.controller.restore;

import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestoreStatus;
import io.backtrack.controller.events.EventRecorder;
import io.backtrack.controller.job.JobOutcome;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Restore deleted while it runs (its finalizer): first its running step Job is stopped and gone (foreground
 * deletion waits for the agent's Pod to end), so nothing writes to the database any more; then the workloads go
 * back to their replica counts and the Backup's protection is lifted; then the finalizer goes. A safety Backup
 * already started finishes on its own (it is a Backup of the target, never owned by the Restore).
 */
final class RestoreDeletion {
    private static final Logger LOG = Logger.getLogger(RestoreDeletion.class);
    static final Duration STOP_POLL = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final Resumption resumption;
    private final EventRecorder events;

    RestoreDeletion(KubernetesClient client, Resumption resumption, EventRecorder events) {
        this.client = client;
        this.resumption = resumption;
        this.events = events;
    }

    /** What must happen before the finalizer goes, given the Restore's status and its Jobs. */
    enum Action { STOP_JOBS, RESUME, NOTHING }

    static Action step(RestoreStatus status, List<Job> jobs) {
        if (status == null || status.phase() == null || status.phase().isTerminal()) {
            return Action.NOTHING; // never started, or its end already resumed everything
        }
        return jobs.stream().anyMatch(j -> !JobOutcome.isFinished(j)) ? Action.STOP_JOBS : Action.RESUME;
    }

    DeleteControl cleanup(Restore restore, List<Job> jobs) {
        RestoreStatus status = restore.getStatus();
        switch (step(status, jobs)) {
            case STOP_JOBS -> {
                jobs.stream().filter(j -> !JobOutcome.isFinished(j) && j.getMetadata().getDeletionTimestamp() == null)
                        .forEach(j -> client.resource(j).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete());
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(STOP_POLL);
            }
            case RESUME -> {
                boolean started = status.startedAt() != null;
                resumption.run(restore, status.quiesced(), started);
                LOG.infof("restore deleted while running namespace=%s restore=%s phase=%s", restore.getMetadata().getNamespace(),
                        restore.getMetadata().getName(), status.phase());
                events.normal(restore, "Aborted", started ? "deleted during " + status.phase() + ": " + undone(restore)
                        : "deleted before it started; nothing was touched");
                return DeleteControl.defaultDelete();
            }
            default -> {
                return DeleteControl.defaultDelete();
            }
        }
    }

    private static String undone(Restore restore) {
        RestoreStatus status = restore.getStatus();
        List<String> done = new ArrayList<>();
        if (status.quiesced() != null && !status.quiesced().isEmpty()) {
            done.add(RestoreStatusDraft.describe(status.quiesced()) + " scaled back");
        }
        if (restore.getSpec() != null && restore.getSpec().backupName() != null) {
            done.add("Backup " + restore.getSpec().backupName() + " released");
        }
        if (status.safetyBackupName() != null) {
            done.add("safety Backup " + status.safetyBackupName() + " kept");
        }
        done.add("nothing more is written to " + status.target());
        return String.join("; ", done);
    }
}
