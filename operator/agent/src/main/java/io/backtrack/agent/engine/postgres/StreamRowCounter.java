package io.backtrack.agent.engine.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Row counts read from pg_dump's custom-format output ({@code -Fc -Z0}) while it streams past, instead of a
 * separate {@code count(*)} pass over every table: the archive holds each table's rows as COPY text, in which every
 * raw newline ends a row (a newline inside a value is written as the two characters {@code \n}, a carriage return as
 * {@code \r}, a backslash as {@code \\}; and every encoding PostgreSQL speaks keeps byte 0x0A for the newline). The
 * COPY pg_dump runs for a table reads that table only ({@code COPY t TO stdout}: a legacy inheritance parent without
 * its children, each partition as a table of its own), in the same exported snapshot as the backup's session, so the
 * count is what {@code SELECT count(*) FROM ONLY t} returns there.
 *
 * <p>The layout after the table of contents follows pg_backup_custom.c: data blocks, each a block type byte
 * ({@code BLK_DATA} for a table's rows, {@code BLK_BLOBS} for large objects), the TOC entry's dump id, then chunks of
 * an integer length and that many bytes, ended by a zero length (large objects: an oid before each object's chunks,
 * a zero oid at the end). Only a table whose block was read to its end marker is counted; whatever this class
 * cannot read (an archive version it does not know, a block type it does not know) leaves the tables it has not
 * counted to the caller, who counts them with SQL in the same snapshot. It never fails the copy itself: every byte
 * read is written on, whatever the parsing made of it.
 */
public final class StreamRowCounter {
    private static final int BLK_DATA = 1;
    private static final int BLK_BLOBS = 3;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;

    private final Set<TableRef> wanted;
    private final Map<TableRef, Long> counts = new HashMap<>();
    private String unreadable;

    private InputStream in;
    private OutputStream out;
    private byte[] buf;
    private int pos;
    private int limit;
    private long copied;
    private int intSize;

    /** Counts the rows of {@code tables} (others are copied without counting). */
    public StreamRowCounter(Collection<TableRef> tables) {
        this.wanted = Set.copyOf(tables);
    }

    /**
     * Copies {@code in} to its end into {@code out} through {@code buffer}, counting rows on the way; returns the
     * number of bytes copied. Throws only what reading {@code in} or writing {@code out} throws.
     */
    public long copy(InputStream in, OutputStream out, byte[] buffer) throws IOException {
        this.in = in;
        this.out = out;
        this.buf = buffer;
        if (!wanted.isEmpty()) {
            try {
                scan();
            } catch (Unreadable e) {
                unreadable = e.getMessage();
            } catch (RuntimeException e) {
                unreadable = "reading the archive's data blocks failed: " + e;
            }
        }
        while (fill()) {
            pos = limit;
        }
        return copied;
    }

    /** Rows of each wanted table whose data block was read to its end. */
    public Map<TableRef, Long> counts() {
        return Map.copyOf(counts);
    }

    /** Why the stream could not be counted to its end, or null. */
    public String unreadable() {
        return unreadable;
    }

    private void scan() throws IOException, Unreadable {
        ArchiveToc.Head head;
        try {
            head = ArchiveToc.readHead(view);
        } catch (PassThrough e) {
            throw (IOException) e.getCause();
        } catch (IOException e) {
            throw new Unreadable("the archive's table of contents could not be read: " + e.getMessage());
        }
        intSize = head.intSize();
        Map<Integer, TableRef> tables = new HashMap<>();
        for (ArchiveToc.Entry e : head.toc().entries()) {
            TableRef table = new TableRef(e.namespace(), e.tag());
            if (e.is("TABLE DATA") && wanted.contains(table)) {
                tables.put(e.dumpId(), table);
            }
        }
        while (true) {
            if (pos == limit && !fill()) {
                return; // the end of the archive, between blocks
            }
            int type = buf[pos++] & 0xFF;
            int id = integer();
            if (type == BLK_DATA) {
                TableRef table = tables.get(id);
                long rows = chunks(table != null);
                if (table != null) {
                    counts.put(table, rows);
                }
            } else if (type == BLK_BLOBS) {
                for (int oid = integer(); oid != 0; oid = integer()) {
                    chunks(false);
                }
            } else {
                throw new Unreadable("the archive has a data block of unknown type " + type);
            }
        }
    }

    /**
     * One block's chunks up to its end marker; if {@code count}, its rows: the newlines in it, less the end-of-data
     * line {@code \.} and the empty lines after it where pg_dump wrote them (pg_dump 15 ends every table's data with
     * that line and two empty ones; no row is the line {@code \.}, as COPY writes a backslash in a value as
     * {@code \\}).
     */
    private long chunks(boolean count) throws IOException, Unreadable {
        long lines = 0;
        long length = 0;
        long tail = 0; // the block's last 8 bytes so far, the last one lowest
        for (int chunk = integer(); chunk != 0; chunk = integer()) {
            if (chunk < 0) {
                throw new Unreadable("the archive has a data chunk of negative length");
            }
            while (chunk > 0) {
                if (pos == limit && !fill()) {
                    throw new Unreadable("the archive ends inside a data block");
                }
                int n = Math.min(chunk, limit - pos);
                if (count) {
                    lines += newlines(buf, pos, n);
                    for (int i = Math.max(pos, pos + n - 8); i < pos + n; i++) {
                        tail = (tail << 8) | (buf[i] & 0xFF);
                    }
                    length += n;
                }
                pos += n;
                chunk -= n;
            }
        }
        return count ? lines - endOfDataLines(tail, length) : 0;
    }

    /**
     * How many of the block's last newlines belong to a closing {@code \.} line and the empty lines after it: the
     * block ends with {@code \.} at the start of a line followed only by newlines (at most 5 of them, as seen in
     * its last 8 bytes); 0 if it does not.
     */
    static int endOfDataLines(long tail, long length) {
        int seen = (int) Math.min(8, length);
        int k = 0;
        while (k < seen && byteAt(tail, k) == '\n') {
            k++;
        }
        if (k == 0 || k + 2 > seen || byteAt(tail, k) != '.' || byteAt(tail, k + 1) != '\\') {
            return 0;
        }
        boolean lineStart = k + 2 == length || (k + 2 < seen && byteAt(tail, k + 2) == '\n');
        return lineStart ? k : 0;
    }

    private static int byteAt(long tail, int fromEnd) {
        return (int) (tail >>> (8 * fromEnd)) & 0xFF;
    }

    /** pg_dump's integer: a sign byte, then {@code intSize} bytes little-endian. */
    private int integer() throws IOException, Unreadable {
        boolean negative = u8() != 0;
        long value = 0;
        for (int i = 0; i < intSize; i++) {
            value |= ((long) u8()) << (8 * i);
        }
        if (value > Integer.MAX_VALUE) {
            throw new Unreadable("the archive has an integer out of range in its data");
        }
        return negative ? -(int) value : (int) value;
    }

    private int u8() throws IOException, Unreadable {
        if (pos == limit && !fill()) {
            throw new Unreadable("the archive ends inside a data block");
        }
        return buf[pos++] & 0xFF;
    }

    /** Reads the next bytes into the buffer and writes them on; false at the end of the input. */
    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            return false;
        }
        out.write(buf, 0, n);
        copied += n;
        pos = 0;
        limit = n;
        return true;
    }

    /** Newline bytes in {@code b[off, off+len)}, eight at a time: a byte is 0 after XOR with 0x0A iff it was one. */
    static long newlines(byte[] b, int off, int len) {
        long count = 0;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            // High bit of each byte of t: set iff that byte of x is non-zero (no carry crosses a byte).
            long t = ((x & LOW7) + LOW7) | x;
            count += Long.bitCount(~t & HIGH);
        }
        for (; i < end; i++) {
            if (b[i] == '\n') {
                count++;
            }
        }
        return count;
    }

    /** The table of contents is read through this view of the buffer: what it reads is copied on too. */
    private final InputStream view = new InputStream() {
        @Override
        public int read() throws IOException {
            if (pos == limit && !refill()) {
                return -1;
            }
            return buf[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == limit && !refill()) {
                return -1;
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean refill() throws PassThrough {
            try {
                return fill();
            } catch (IOException e) {
                throw new PassThrough(e);
            }
        }
    };

    /** An error of the input or output met while reading the TOC: not a reason to count with SQL, but to fail. */
    private static final class PassThrough extends IOException {
        PassThrough(IOException cause) {
            super(cause);
        }
    }

    /** What this class cannot read in the archive. */
    private static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
