package io.backtrack.controller.status;

import io.backtrack.api.ConditionReason;

/**
 * Why a Backup or Restore cannot start yet or at all.
 *
 * @param retryable true when the user can fix it without touching the resource (e.g. create the Secret)
 */
public record Precondition(ConditionReason reason, String message, boolean retryable) {
}
