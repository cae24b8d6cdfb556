package io.backtrack.agent.restore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an in-place restore sends psql: pg_restore's {@code --single-transaction} script, held in exactly one
 * transaction that only the agent can end.
 *
 * <ul>
 *   <li>The agent opens the transaction itself, records its id and backend pid in {@code txnFile} (so a failure
 *       can later be checked, not assumed, to have rolled back), sets {@code lock_timeout} and runs its prelude.
 *       pg_restore's own BEGIN is dropped and its {@code SET lock_timeout = 0} replaced.
 *   <li>psql runs with {@code AUTOCOMMIT off}: nothing is ever committed statement by statement.
 *   <li>The script's final COMMIT is held back. Only once the archive's SHA-256 matched and pg_restore ended
 *       cleanly does {@link #finish} send the row-count check, which runs inside the same transaction; psql then
 *       commits only if every count matched and the transaction is still the one that began the restore, and
 *       writes the counts to {@code reportFile}.
 * </ul>
 * A script that does not have the shape pg_restore gives it (BEGIN in its header, COMMIT at its end) is refused
 * before its end is sent, so psql ends without COMMIT and PostgreSQL rolls everything back.
 */
final class InPlaceScript {
    static final String XID_SETTING = "backtrack.restore_xid";
    private static final int HEAD_LIMIT = 64 * 1024;
    private static final int TAIL = 4096;
    /** One char per byte, so no byte of the script (in whatever encoding) is changed in passing. */
    private static final java.nio.charset.Charset BYTES = StandardCharsets.ISO_8859_1;
    private static final Pattern BEGIN_LINE = Pattern.compile("(?m)^BEGIN;\n");
    private static final Pattern RESTRICT_LINE = Pattern.compile("(?m)^\\\\restrict (\\S+)\n");
    private static final Pattern HEADER_SETTING = Pattern.compile(
            "SET [a-z_]+ = .*;|SELECT pg_catalog\\.set_config\\(.*\\);|");
    private static final Pattern TAIL_LINE = Pattern.compile("|--.*|\\\\unrestrict \\S+");

    private final OutputStream psql;
    private final String preamble;
    private final String lockTimeoutSetting;
    private final Path reportFile;
    /** The script's start, until its header has been rewritten. */
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    /** The last bytes seen, not yet sent: they may be the final COMMIT. */
    private final byte[] tail = new byte[TAIL];
    private int tailLength;
    private boolean headerDone;
    private String restrictKey;
    private byte[] body;

    /**
     * @param lockTimeoutMillis how long any statement may wait for a lock (0: forever), so the restore never
     *                          queues behind the application while blocking it
     */
    InPlaceScript(OutputStream psql, Path txnFile, Path reportFile, long lockTimeoutMillis, List<String> prelude) {
        this.psql = psql;
        this.reportFile = reportFile;
        this.lockTimeoutSetting = "SET lock_timeout = '" + lockTimeoutMillis + "ms';";
        StringBuilder p = new StringBuilder()
                .append("\\set AUTOCOMMIT off\n")
                .append("BEGIN;\n")
                .append(lockTimeoutSetting).append('\n')
                .append("\\o ").append(txnFile).append('\n')
                .append("SELECT pg_catalog.set_config('").append(XID_SETTING)
                .append("', pg_catalog.txid_current()::text, true), pg_catalog.pg_backend_pid();\n")
                .append("\\o\n");
        prelude.forEach(sql -> p.append(sql).append(";\n"));
        this.preamble = p.toString();
    }

    /** The next bytes of pg_restore's script. */
    void write(byte[] b, int off, int len) throws IOException {
        if (headerDone) {
            holdBack(b, off, len);
            return;
        }
        head.write(b, off, len);
        if (head.size() >= HEAD_LIMIT) {
            writeHeader();
        }
    }

    /** Sends all but the last {@link #TAIL} bytes seen so far. */
    private void holdBack(byte[] b, int off, int len) throws IOException {
        if (len >= TAIL) {
            psql.write(tail, 0, tailLength);
            psql.write(b, off, len - TAIL);
            System.arraycopy(b, off + len - TAIL, tail, 0, TAIL);
            tailLength = TAIL;
            return;
        }
        int overflow = tailLength + len - TAIL;
        if (overflow > 0) {
            psql.write(tail, 0, overflow);
            System.arraycopy(tail, overflow, tail, 0, tailLength - overflow);
            tailLength -= overflow;
        }
        System.arraycopy(b, off, tail, tailLength, len);
        tailLength += len;
    }

    /** pg_restore has ended: the held-back end must be its COMMIT and footer, nothing else. */
    void endOfScript() throws IOException {
        if (!headerDone) {
            writeHeader();
        }
        String end = new String(tail, 0, tailLength, BYTES);
        int commit = end.lastIndexOf("\nCOMMIT;\n");
        int at = commit >= 0 ? commit + 1 : (end.startsWith("COMMIT;\n") ? 0 : -1);
        if (at < 0 || !end.substring(at + "COMMIT;\n".length()).lines()
                .allMatch(line -> TAIL_LINE.matcher(line).matches())) {
            throw new IOException("pg_restore's script does not end with its own COMMIT; the restore was not "
                    + "committed");
        }
        body = end.substring(0, at).getBytes(BYTES);
    }

    /**
     * Sends the rest of the script, the in-transaction check ({@code verificationSql} sets {@code backtrack_ok}
     * and {@code backtrack_report} with {@code \gset}), and COMMIT only if it passed, else ROLLBACK.
     */
    void finish(String verificationSql) throws IOException {
        if (body == null) {
            throw new IllegalStateException("endOfScript() first");
        }
        psql.write(body);
        StringBuilder end = new StringBuilder();
        if (restrictKey != null) {
            end.append("\\unrestrict ").append(restrictKey).append('\n');
        }
        end.append(verificationSql).append(" \\gset\n")
                .append("\\o ").append(reportFile).append('\n')
                .append("\\qecho :backtrack_report\n")
                .append("\\o\n")
                .append("\\if :backtrack_ok\n")
                .append("COMMIT;\n")
                .append("\\else\n")
                .append("ROLLBACK;\n")
                .append("\\endif\n")
                .append("\\q\n");
        psql.write(end.toString().getBytes(BYTES));
        psql.flush();
    }

    private void writeHeader() throws IOException {
        String head = this.head.toString(BYTES);
        Matcher begin = BEGIN_LINE.matcher(head);
        if (!begin.find()) {
            throw new IOException("pg_restore's script does not open its transaction where expected (no BEGIN in "
                    + "its header); nothing was sent");
        }
        Matcher restrict = RESTRICT_LINE.matcher(head.substring(0, begin.start()));
        if (restrict.find()) {
            restrictKey = restrict.group(1);
        }
        StringBuilder out = new StringBuilder(preamble).append(head, 0, begin.start());
        // The settings right after pg_restore's BEGIN: the same, except the lock timeout.
        int pos = begin.end();
        while (pos < head.length()) {
            int nl = head.indexOf('\n', pos);
            if (nl < 0) {
                break;
            }
            String line = head.substring(pos, nl);
            if (!HEADER_SETTING.matcher(line).matches()) {
                break;
            }
            out.append(line.startsWith("SET lock_timeout = ") ? lockTimeoutSetting : line).append('\n');
            pos = nl + 1;
        }
        psql.write(out.toString().getBytes(BYTES));
        byte[] rest = head.substring(pos).getBytes(BYTES);
        this.head.reset();
        headerDone = true;
        holdBack(rest, 0, rest.length);
    }
}
