package io.backtrack.controller.restore;

import io.backtrack.api.restore.QuiescedWorkload;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStatus;
import io.backtrack.api.restore.Verification;
import io.backtrack.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A Restore's status being changed in one reconcile: start from the current one, change fields, build. */
final class RestoreStatusDraft {
    RestorePhase phase;
    String message;
    String source;
    String target;
    String safetyBackupName;
    String previousDatabase;
    Boolean archiveVerified;
    Verification verification;
    List<QuiescedWorkload> quiesced;
    String jobName;
    String startedAt;
    String completedAt;
    Double durationSeconds;
    List<Condition> conditions;
    private final Long generation;

    RestoreStatusDraft(Restore restore) {
        RestoreStatus s = restore.getStatus();
        generation = restore.getMetadata().getGeneration();
        if (s != null) {
            phase = s.phase();
            message = s.message();
            source = s.source();
            target = s.target();
            safetyBackupName = s.safetyBackupName();
            previousDatabase = s.previousDatabase();
            archiveVerified = s.archiveVerified();
            verification = s.verification();
            quiesced = s.quiesced();
            jobName = s.jobName();
            startedAt = s.startedAt();
            completedAt = s.completedAt();
            durationSeconds = s.durationSeconds();
            conditions = s.conditions();
        }
    }

    /** Moves to a non-terminal phase; Ready stays False with the step as reason. */
    RestoreStatusDraft progress(RestorePhase next, String reason, String text, Instant now) {
        phase = next;
        message = text;
        conditions = Conditions.set(conditions, Conditions.READY, false, reason, text, generation, now);
        return this;
    }

    RestoreStatusDraft pending(String reason, String text, Instant now) {
        phase = RestorePhase.Pending;
        message = text;
        conditions = Conditions.set(conditions, Conditions.READY, false, reason, text, generation, now);
        return this;
    }

    RestoreStatusDraft completed(String text, Instant now) {
        return end(RestorePhase.Completed, true, "Completed", text, now);
    }

    RestoreStatusDraft failed(String reason, String text, Instant now) {
        return end(RestorePhase.Failed, false, reason, text, now);
    }

    private RestoreStatusDraft end(RestorePhase last, boolean ready, String reason, String text, Instant now) {
        phase = last;
        message = text;
        jobName = null;
        completedAt = now.toString();
        if (startedAt != null) {
            durationSeconds = Math.max(0, Duration.between(Instant.parse(startedAt), now).toMillis()) / 1000.0;
        }
        conditions = Conditions.set(conditions, Conditions.READY, ready, reason, text, generation, now);
        return this;
    }

    /** The workloads for messages: {@code [Deployment orders-api (3)]}. */
    static String describe(List<QuiescedWorkload> workloads) {
        return workloads.stream().map(w -> w.kind() + " " + w.name() + " (" + w.replicas() + ")").toList().toString();
    }

    RestoreStatus build() {
        return new RestoreStatus(phase, message, source, target, safetyBackupName, previousDatabase, archiveVerified,
                verification, quiesced, jobName, startedAt, completedAt, durationSeconds, conditions, generation);
    }
}
