package io.backtrack.controller.drill;

import io.backtrack.api.drill.DrillCheck;
import io.backtrack.contract.drill.CheckExpectation;
import io.backtrack.contract.durations.Durations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the operator checks of a drill's checks and timeout before it creates anything, with the rules the agent applies
 * (the contract's {@link CheckExpectation} and {@link Durations}): the CRD's schema refuses most of it at apply, this
 * catches what it cannot (and specs written before the schema knew).
 */
public final class DrillChecks {
    private DrillChecks() {
    }

    /** @param field how the spec names the drill block: "drill" */
    public static List<String> problems(String field, List<DrillCheck> checks, String checkTimeout) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (DrillCheck c : checks) {
            if (c == null || c.name() == null || c.name().isBlank() || c.sql() == null || c.sql().isBlank()) {
                problems.add(field + ".checks: every check needs a name, sql and expect");
                continue;
            }
            if (!names.add(c.name())) {
                problems.add(field + ".checks: the name " + c.name() + " is used twice");
            }
            try {
                CheckExpectation.parse(c.name(), c.expect());
            } catch (IllegalArgumentException e) {
                problems.add(field + ".checks: " + e.getMessage());
            }
        }
        try {
            if (checkTimeout != null && Durations.parse(checkTimeout, field + ".checkTimeout").isZero()) {
                problems.add(field + ".checkTimeout must be longer than 0s");
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }
}
