package io.backtrack.agent.drill;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's check of a drill's restored database: a query whose first column of the first row is compared with
 * {@code expect}: a value ({@code t}, {@code orders}), or an operator and a value ({@code > 0}, {@code >= 100},
 * {@code != 0}); {@code <}, {@code <=}, {@code >}, {@code >=} compare numbers.
 */
public record DrillCheck(String name, String sql, String expect) {
    private static final Pattern EXPECT = Pattern.compile("^\\s*(>=|<=|!=|<>|=|>|<)?\\s*(.*?)\\s*$", Pattern.DOTALL);

    public DrillCheck {
        if (name == null || name.isBlank() || sql == null || sql.isBlank() || expect == null) {
            throw new IllegalArgumentException("a check needs a name, a query and an expected value");
        }
        Matcher m = EXPECT.matcher(expect);
        m.matches();
        String op = m.group(1);
        if (op != null && !op.equals("=") && !op.equals("!=") && !op.equals("<>") && number(m.group(2)) == null) {
            throw new IllegalArgumentException("check " + name + ": \"" + expect + "\" compares with " + op
                    + ", which needs a number");
        }
    }

    /** True if the query's value meets the expectation (a null value meets only "null"). */
    public boolean accepts(String value) {
        Matcher m = EXPECT.matcher(expect);
        m.matches();
        String op = m.group(1) == null ? "=" : m.group(1);
        String wanted = m.group(2);
        String actual = value == null ? "null" : value.strip();
        BigDecimal a = number(actual);
        BigDecimal w = number(wanted);
        int cmp = a != null && w != null ? a.compareTo(w) : actual.equals(wanted) ? 0 : 1;
        return switch (op) {
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
