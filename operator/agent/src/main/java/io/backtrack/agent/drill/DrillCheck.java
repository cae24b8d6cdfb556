package io.backtrack.agent.drill;

import io.backtrack.contract.drill.CheckExpectation;

/**
 * A user's check of a drill's restored database: a query whose first column of the first row is compared with
 * {@code expect} ({@link CheckExpectation}: a value such as {@code t}, or an operator and a number such as
 * {@code > 0}).
 */
public record DrillCheck(String name, String sql, String expect) {

    public DrillCheck {
        if (name == null || name.isBlank() || sql == null || sql.isBlank() || expect == null) {
            throw new IllegalArgumentException("a check needs a name, a query and an expected value");
        }
        CheckExpectation.parse(name, expect);
    }

    /** True if the query's value meets the expectation (a null value meets only "null"). */
    public boolean accepts(String value) {
        return CheckExpectation.parse(name, expect).accepts(value);
    }
}
