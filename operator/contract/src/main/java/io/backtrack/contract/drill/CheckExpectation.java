package io.backtrack.contract.drill;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a drill's check expects of its query's value (the first column of the first row), as {@code --expect} and a
 * schedule's {@code drill.checks[].expect} spell it: a value ({@code t}, {@code orders}, {@code null}), or an operator
 * and a value ({@code > 0}, {@code >= 100}, {@code != 0}); {@code <}, {@code <=}, {@code >}, {@code >=} compare
 * numbers and need a number. The operator refuses what the agent would refuse with this same class.
 */
public record CheckExpectation(String operator, String value) {
    private static final Pattern EXPECT = Pattern.compile("^\\s*(>=|<=|!=|<>|=|>|<)?\\s*(.*?)\\s*$", Pattern.DOTALL);

    /** Throws IllegalArgumentException, naming the check, when {@code expect} cannot be compared with. */
    public static CheckExpectation parse(String check, String expect) {
        if (expect == null) {
            throw new IllegalArgumentException("check " + check + " needs an expected value");
        }
        Matcher m = EXPECT.matcher(expect);
        m.matches();
        String op = m.group(1) == null ? "=" : m.group(1);
        if (!op.equals("=") && !op.equals("!=") && !op.equals("<>") && number(m.group(2)) == null) {
            throw new IllegalArgumentException("check " + check + ": \"" + expect + "\" compares with " + op
                    + ", which needs a number");
        }
        return new CheckExpectation(op, m.group(2));
    }

    /** True if the query's value meets the expectation (a null value meets only "null"). */
    public boolean accepts(String actualValue) {
        String actual = actualValue == null ? "null" : actualValue.strip();
        BigDecimal a = number(actual);
        BigDecimal w = number(value);
        int cmp = a != null && w != null ? a.compareTo(w) : actual.equals(value) ? 0 : 1;
        return switch (operator) {
            case "=" -> cmp == 0;
            case "!=", "<>" -> cmp != 0;
            case ">" -> a != null && cmp > 0;
            case ">=" -> a != null && cmp >= 0;
            case "<" -> a != null && cmp < 0;
            default -> a != null && cmp <= 0;
        };
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
