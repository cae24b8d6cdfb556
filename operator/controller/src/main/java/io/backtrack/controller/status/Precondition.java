package io.backtrack.controller.status;

/**
 * Why a Backup cannot start yet or at all.
 *
 * @param retryable true when the user can fix it without touching the Backup (e.g. create the Secret)
 */
public record Precondition(String reason, String message, boolean retryable) {
}
