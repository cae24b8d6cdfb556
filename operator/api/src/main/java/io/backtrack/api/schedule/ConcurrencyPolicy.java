package io.backtrack.api.schedule;

/** What a run does when the previous run of the same schedule is still going. */
public enum ConcurrencyPolicy {
    /** Skip the new run and record it in status (default). */
    Forbid,
    /** Start the new run alongside the running one. */
    Allow,
    /** Stop the running one (its Job is deleted, its partial upload aborted) and start the new run. */
    Replace
}
