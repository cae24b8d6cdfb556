package io.backtrack.contract.result;

/**
 * One of a drill's checks: its query's value (cut to 64 characters) against what was expected.
 *
 * @param error why the query itself failed, or null
 */
public record DrillCheckResult(String name, String expect, Boolean ok, String value, String error) {
}
