package io.backtrack.api;

/**
 * The condition types the operator writes ({@code status.conditions[].type}). Ready, Reconciling and Stalled follow
 * kstatus, so kubectl wait, Flux and Argo CD read them without custom code: at any time exactly one of them is True.
 */
public enum ConditionType {
    /** Every resource: True only when it is what it should be (a completed Backup or Restore, a running schedule). */
    Ready,
    /** Every resource (kstatus): True while the operator works towards what it should be (waiting, running). */
    Reconciling,
    /**
     * Every resource (kstatus): True when it cannot get there without a change: a failed Backup or Restore, an invalid
     * spec, an error the operator stopped retrying.
     */
    Stalled,
    /**
     * Backup and Restore: True once finished either way, reason Succeeded or Failed, so that
     * {@code kubectl wait --for=condition=Completed} also ends on a failure; False while it waits or runs.
     */
    Completed,
    /** BackupSchedule: how the newest finished run ended. */
    LastBackupSucceeded,
    /**
     * BackupSchedule with a drill: True when the newest drill failed or a drill cannot run (the reason says why), False
     * once a drill succeeded; absent before the first drill.
     */
    DrillFailed,
    /** BackupStorage: whether its last probe could list, write, read back and delete under its prefix. */
    Available
}
