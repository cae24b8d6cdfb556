package io.backtrack.controller.restore;

import io.backtrack.api.ConditionReason;
import io.backtrack.api.ConditionType;
import io.backtrack.api.restore.QuiescedWorkload;
import io.backtrack.api.restore.Restore;
import io.backtrack.api.restore.RestorePhase;
import io.backtrack.api.restore.RestoreStatus;
import io.backtrack.api.restore.Verification;
import io.backtrack.controller.status.StatusDraft;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Restore's status in one reconcile (see {@link StatusDraft}): what it reads and writes, what it did so far
 * (workloads quiesced, safety backup, archive verified, row counts), and its phase: Pending (checking or waiting),
 * Quiescing, SafetyBackup, Restoring, Verifying, then Completed or Failed. Ready is True only once Completed.
 */
final class RestoreStatusDraft extends StatusDraft<RestoreStatus> {
    private RestorePhase phase;
    private String message;
    private String source;
    private String target;
    private String safetyBackupName;
    private String previousDatabase;
    private Boolean archiveVerified;
    private Verification verification;
    private List<QuiescedWorkload> quiesced;
    private List<String> rolesCreated;
    private String jobName;
    private String startedAt;
    private String completedAt;
    private Double durationSeconds;

    RestoreStatusDraft(Restore restore) {
        super(restore, restore.getStatus() == null ? null : restore.getStatus().conditions());
        RestoreStatus s = restore.getStatus();
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
            rolesCreated = s.rolesCreated();
            jobName = s.jobName();
            startedAt = s.startedAt();
            completedAt = s.completedAt();
            durationSeconds = s.durationSeconds();
        }
    }

    /** The backup folder read and the database written, as {@link RestorePlan} names them. */
    RestoreStatusDraft reads(RestorePlan plan) {
        source = plan.source();
        target = plan.target();
        return this;
    }

    /** The Restore starts now, unless it started before (a Restore that waited keeps its first start). */
    RestoreStatusDraft started(Instant now) {
        startedAt = startedAt != null ? startedAt : now.toString();
        return this;
    }

    /** The agent Job running for it now, or null between Jobs. */
    RestoreStatusDraft job(String name) {
        jobName = name;
        return this;
    }

    /** The check step read the whole archive and its SHA-256 matched the manifest's. */
    RestoreStatusDraft archiveVerified() {
        archiveVerified = true;
        return this;
    }

    /** The workloads it scales to 0, with the replica counts they go back to. */
    RestoreStatusDraft quiesced(List<QuiescedWorkload> workloads) {
        quiesced = workloads;
        return this;
    }

    /** Roles the restore step created on the target server (null: none). */
    RestoreStatusDraft rolesCreated(List<String> roles) {
        rolesCreated = roles;
        return this;
    }

    RestoreStatusDraft safetyBackup(String backupName) {
        safetyBackupName = backupName;
        return this;
    }

    /** The compared row counts (also of a failed comparison). */
    RestoreStatusDraft verification(Verification counts) {
        verification = counts;
        return this;
    }

    /** Swap: the replaced database, kept under this name. */
    RestoreStatusDraft previousDatabase(String name) {
        previousDatabase = name;
        return this;
    }

    /** Moves to a phase before the end; Ready stays False with the step as reason. */
    RestoreStatusDraft progress(RestorePhase next, ConditionReason reason, String text, Instant now) {
        phase = next;
        message = text;
        condition(ConditionType.Ready, false, reason.name(), text, now);
        return this;
    }

    /** Waits in its phase (Pending unless it has one), for the reason given. */
    RestoreStatusDraft waiting(ConditionReason reason, String text, Instant now) {
        return progress(phase == null ? RestorePhase.Pending : phase, reason, text, now);
    }

    RestoreStatusDraft completed(String text, Instant now) {
        return end(RestorePhase.Completed, true, ConditionReason.Completed.name(), text, now);
    }

    /** @param reason the operator's ({@link ConditionReason}) or the agent's, as it reported it */
    RestoreStatusDraft failed(String reason, String text, Instant now) {
        return end(RestorePhase.Failed, false, reason, text, now);
    }

    RestorePhase phase() {
        return phase;
    }

    String startedAt() {
        return startedAt;
    }

    boolean isArchiveVerified() {
        return Boolean.TRUE.equals(archiveVerified);
    }

    List<QuiescedWorkload> quiesced() {
        return quiesced;
    }

    String safetyBackupName() {
        return safetyBackupName;
    }

    List<String> rolesCreated() {
        return rolesCreated;
    }

    Verification verification() {
        return verification;
    }

    String previousDatabase() {
        return previousDatabase;
    }

    Double durationSeconds() {
        return durationSeconds;
    }

    /** The workloads for messages: {@code [Deployment orders-api (3)]}. */
    static String describe(List<QuiescedWorkload> workloads) {
        return workloads.stream().map(w -> w.kind() + " " + w.name() + " (" + w.replicas() + ")").toList().toString();
    }

    @Override
    public RestoreStatus build() {
        return new RestoreStatus(phase, message, source, target, safetyBackupName, previousDatabase, archiveVerified,
                verification, quiesced, rolesCreated, jobName, startedAt, completedAt, durationSeconds, conditions(), generation());
    }

    private RestoreStatusDraft end(RestorePhase last, boolean ready, String reason, String text, Instant now) {
        phase = last;
        message = text;
        jobName = null;
        completedAt = now.toString();
        if (startedAt != null) {
            durationSeconds = Math.max(0, Duration.between(Instant.parse(startedAt), now).toMillis()) / 1000.0;
        }
        condition(ConditionType.Ready, ready, reason, text, now);
        return this;
    }
}
