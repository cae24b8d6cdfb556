package io.backtrack.api.drill;

/** Where a drill is: running, or how it ended. */
public enum DrillOutcome {
    Running, Succeeded, Failed
}
