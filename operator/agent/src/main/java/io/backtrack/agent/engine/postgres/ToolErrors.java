package io.backtrack.agent.engine.postgres;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of pg_dump, pg_restore or psql error output that may reach a status message or an Event: the first
 * error's SQLSTATE (when the tool printed one), the objects it names, and the server's wording, with everything
 * that can carry row data or statement text removed. PostgreSQL puts row values in DETAIL lines ("Key
 * (email)=(…)"), statements in "Command was:", QUERY and CONTEXT lines, and input values in some primary messages
 * ('invalid input syntax for type integer: "…"'); only the primary line is kept, and in it every quoted value
 * that does not follow an object's kind is masked. The Job's log keeps the full text.
 */
public final class ToolErrors {
    private static final Pattern ERROR_LINE = Pattern.compile("(?:ERROR|FATAL|PANIC):\\s+(?:([0-9A-Z]{5}):\\s+)?(.*)");
    private static final Pattern TOOL_ERROR = Pattern.compile("^[a-z_]+: error: (.*)$");
    private static final Pattern QUOTED = Pattern.compile("(\\w+)?(\\s*)\"((?:[^\"]|\"\")*)\"");
    private static final Pattern HEX_BYTES = Pattern.compile("0x[0-9a-fA-F]{2}(?:\\s+0x[0-9a-fA-F]{2})*");
    private static final Pattern KEY_VALUES = Pattern.compile("\\(([^()]*)\\)=\\((?:[^()]|\\([^()]*\\))*\\)");
    /** Words after which a quoted string is an object's name, not a value. */
    private static final List<String> KINDS = List.of("relation", "table", "column", "constraint", "index",
            "schema", "role", "user", "function", "procedure", "type", "sequence", "view", "database", "extension",
            "trigger", "policy", "publication", "subscription", "operator", "domain", "collation", "aggregate",
            "tablespace", "language", "cast", "server", "wrapper", "mapping", "rule", "statistics", "object",
            "owner", "parameter", "configuration", "dictionary", "template", "parser", "family", "class",
            "encoding", "large", "channel", "cursor", "savepoint", "portal", "statement");
    private static final int MAX = 300;

    private ToolErrors() {
    }

    /** The first error of a tool's stderr, made safe for status and Events; empty if it printed none. */
    public static Optional<String> firstError(String stderr) {
        if (stderr == null) {
            return Optional.empty();
        }
        String toolLine = null;
        for (String line : stderr.split("\n")) {
            Matcher m = ERROR_LINE.matcher(line);
            if (m.find()) {
                String code = m.group(1);
                String text = redact(m.group(2).strip());
                return Optional.of(code == null ? text : "SQLSTATE " + code + ": " + text);
            }
            Matcher tool = TOOL_ERROR.matcher(line.strip());
            if (toolLine == null && tool.matches()) {
                toolLine = redact(tool.group(1).strip());
            }
        }
        return Optional.ofNullable(toolLine);
    }

    /** A JDBC failure in the same form: its SQLSTATE and its primary message, values masked. */
    public static String of(java.sql.SQLException e) {
        String text = e.getMessage() == null ? "" : e.getMessage().split("\n")[0].strip();
        if (text.startsWith("ERROR: ") || text.startsWith("FATAL: ")) {
            text = text.substring(7).strip();
        }
        String state = e.getSQLState();
        return (state == null ? "" : "SQLSTATE " + state + ": ") + redact(text);
    }

    /** Masks values in one primary message line; object names after their kind stay. */
    static String redact(String line) {
        String text = KEY_VALUES.matcher(line).replaceAll("($1)=(…)");
        text = HEX_BYTES.matcher(text).replaceAll("(bytes)");
        Matcher quoted = QUOTED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (quoted.find()) {
            String before = quoted.group(1);
            boolean name = before != null && KINDS.contains(before.toLowerCase(Locale.ROOT));
            String replacement = name ? quoted.group() : (before == null ? "" : before) + quoted.group(2) + "\"…\"";
            quoted.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        quoted.appendTail(out);
        String result = out.toString();
        // Anything after a colon in a line still holding a value-like tail (e.g. 'for type integer: abc').
        int colon = result.indexOf(": ");
        if (colon > 0 && result.startsWith("invalid input")) {
            result = result.substring(0, colon) + ": …";
        }
        return result.length() <= MAX ? result : result.substring(0, MAX) + "…";
    }
}
