package io.backtrack.api;

/** The condition types the operator writes ({@code status.conditions[].type}). */
public enum ConditionType {
    /** Every resource: True only when it is what it should be (a completed Backup or Restore, a running schedule). */
    Ready,
    /** BackupSchedule: how the newest finished run ended. */
    LastBackupSucceeded
}
