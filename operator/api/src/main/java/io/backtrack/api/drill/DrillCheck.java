package io.backtrack.api.drill;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A query a drill runs on the restored scratch database, read-only with a statement timeout; the first column of the
 * first row must meet {@code expect}. The expectation's syntax is the contract's
 * ({@code io.backtrack.contract.drill.CheckExpectation}), which the operator and the agent both read.
 */
@ValidationRule(value = "!self.expect.matches('^\\\\s*[<>]') || self.expect.matches('^\\\\s*<>') || self.expect.matches("
        + "'^\\\\s*(<|>|<=|>=)\\\\s*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?\\\\s*$')",
        message = "a check's expect compares with <, <=, > or >=, which needs a number: '> 0', '>= 100'")
public record DrillCheck(
        @Required @Size(max = 63) @Pattern("^[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$")
        @JsonPropertyDescription("Name of the check, shown in the results (letters, digits, '-', '_', '.'; at most 63).")
        String name,
        @Required @Size(max = 4096) @JsonPropertyDescription("The query, e.g. SELECT count(*) FROM orders WHERE placed > now() - interval '1 day'. "
                + "It runs in a read-only transaction; its first column of the first row is compared.")
        String sql,
        @Required @Size(max = 256) @JsonPropertyDescription("What the value must be: a value (t, 42, orders, null) or an operator and a "
                + "value: '> 0', '>= 100', '!= 0' (<, <=, >, >= compare numbers).")
        String expect) {
}
