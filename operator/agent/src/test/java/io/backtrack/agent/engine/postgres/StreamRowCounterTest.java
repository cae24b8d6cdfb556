package io.backtrack.agent.engine.postgres;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parser on hand-made archives (the real pg_dump cases are in e2e's AgentStreamRowCountsTest). */
class StreamRowCounterTest {
    private static final TableRef ORDERS = new TableRef("public", "orders");
    private static final TableRef ITEMS = new TableRef("shop", "items");

    @Test
    void newlinesAreCountedAtEveryAlignmentAndLength() {
        byte[] b = new byte[300];
        new Random(7).nextBytes(b);
        for (int i = 0; i < b.length; i += 3) {
            b[i] = '\n';
        }
        for (int off = 0; off < 17; off++) {
            for (int len = 0; off + len <= b.length; len += 5) {
                long naive = 0;
                for (int i = off; i < off + len; i++) {
                    naive += b[i] == '\n' ? 1 : 0;
                }
                assertThat(StreamRowCounter.newlines(b, off, len)).isEqualTo(naive);
            }
        }
    }

    @Test
    void theEndOfDataLineAndTheEmptyLinesAfterItAreNotRows() {
        assertThat(lines("\\.\n\n\n")).isEqualTo(3);
        assertThat(lines("a\tb\n\\.\n\n\n")).isEqualTo(3);
        assertThat(lines("\n\n\\.\n")).isEqualTo(1);
        // No end-of-data line: every newline ends a row (empty lines are rows of a table without columns).
        assertThat(lines("a\n\n\n")).isZero();
        // A value of backslash and dot is written \\. and is a row.
        assertThat(lines("\\\\.\n")).isZero();
        assertThat(lines("x\\\\.\n")).isZero();
        assertThat(lines("ab\\.\n")).isZero();
    }

    private static int lines(String tail) {
        long packed = 0;
        byte[] b = tail.getBytes(StandardCharsets.US_ASCII);
        for (int i = Math.max(0, b.length - 8); i < b.length; i++) {
            packed = (packed << 8) | (b[i] & 0xFF);
        }
        return StreamRowCounter.endOfDataLines(packed, b.length);
    }

    @Test
    void countsTheWantedTablesAndSkipsOtherDataAndLargeObjects() throws IOException {
        Archive a = new Archive().entry(1, "TABLE", "public", "orders").entry(2, "TABLE DATA", "public", "orders")
                .entry(3, "TABLE DATA", "shop", "items").entry(4, "TABLE DATA", "shop", "other")
                .entry(5, "BLOBS", "", "BLOBS");
        a.data(2, "1\tx\n", "2\ty\n", "\\.\n\n\n").blobs(5, "\n\n\n").data(3, "a\nb\nc\n").data(4, "q\n");
        byte[] archive = a.bytes();
        for (int buffer : new int[] {1, 3, 64, 1 << 16}) {
            StreamRowCounter counter = new StreamRowCounter(List.of(ORDERS, ITEMS));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(counter.copy(new ByteArrayInputStream(archive), out, new byte[buffer])).isEqualTo(archive.length);
            assertThat(out.toByteArray()).isEqualTo(archive);
            assertThat(counter.unreadable()).isNull();
            assertThat(counter.counts()).isEqualTo(Map.of(ORDERS, 2L, ITEMS, 3L));
        }
    }

    @Test
    void whatItCannotReadItLeavesUncountedAndStillCopiesEveryByte() throws IOException {
        Archive unknownBlock = new Archive().entry(2, "TABLE DATA", "public", "orders")
                .entry(3, "TABLE DATA", "shop", "items");
        unknownBlock.data(2, "1\n").raw(7).data(3, "a\n");
        assertCopiedUncounted(unknownBlock.bytes(), Map.of(ORDERS, 1L), "unknown type 7");

        Archive truncated = new Archive().entry(2, "TABLE DATA", "public", "orders").data(2, "1\n2\n");
        byte[] cut = Arrays.copyOf(truncated.bytes(), truncated.bytes().length - 3);
        assertCopiedUncounted(cut, Map.of(), "ends inside a data block");

        byte[] notAnArchive = "plain SQL, not a custom-format archive".getBytes(StandardCharsets.US_ASCII);
        assertCopiedUncounted(notAnArchive, Map.of(), "table of contents");
    }

    private static void assertCopiedUncounted(byte[] archive, Map<TableRef, Long> counted, String why)
            throws IOException {
        StreamRowCounter counter = new StreamRowCounter(List.of(ORDERS, ITEMS));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        counter.copy(new ByteArrayInputStream(archive), out, new byte[4]);
        assertThat(out.toByteArray()).isEqualTo(archive);
        assertThat(counter.counts()).isEqualTo(counted);
        assertThat(counter.unreadable()).contains(why);
    }

    @Test
    void failuresOfTheInputOrOutputAreThrownNotCounted() {
        byte[] archive = new Archive().entry(2, "TABLE DATA", "public", "orders").data(2, "1\n").bytes();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("upload failed");
            }
        };
        assertThatThrownBy(() -> new StreamRowCounter(List.of(ORDERS)).copy(new ByteArrayInputStream(archive),
                broken, new byte[16])).isInstanceOf(IOException.class).hasMessage("upload failed");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("pipe broken");
            }
        };
        assertThatThrownBy(() -> new StreamRowCounter(List.of(ORDERS)).copy(failing, OutputStream.nullOutputStream(),
                new byte[16])).isInstanceOf(IOException.class).hasMessage("pipe broken");
    }

    /** A custom-format archive (version 1.14, 4-byte integers) with the given TOC entries and data blocks. */
    private static final class Archive {
        private final ByteArrayOutputStream toc = new ByteArrayOutputStream();
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private int entries;

        Archive entry(int dumpId, String desc, String namespace, String tag) {
            entries++;
            integer(toc, dumpId);
            integer(toc, 1); // had dumper
            string(toc, "0");
            string(toc, "0");
            string(toc, tag);
            string(toc, desc);
            integer(toc, 3); // section
            string(toc, "");
            string(toc, "");
            string(toc, "");
            string(toc, namespace);
            string(toc, "");
            string(toc, ""); // table access method (1.14)
            string(toc, "postgres");
            string(toc, "false");
            string(toc, null); // no dependencies
            toc.write(1); // offset flag: not set
            toc.writeBytes(new byte[8]);
            return this;
        }

        Archive data(int dumpId, String... chunks) {
            data.write(1);
            integer(data, dumpId);
            chunks(chunks);
            return this;
        }

        Archive blobs(int dumpId, String content) {
            data.write(3);
            integer(data, dumpId);
            integer(data, 16384);
            chunks(content);
            integer(data, 0);
            return this;
        }

        Archive raw(int blockType) {
            data.write(blockType);
            integer(data, 99);
            return this;
        }

        private void chunks(String... chunks) {
            for (String c : chunks) {
                byte[] b = c.getBytes(StandardCharsets.UTF_8);
                integer(data, b.length);
                data.writeBytes(b);
            }
            integer(data, 0);
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("PGDMP".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(new byte[] {1, 14, 0, 4, 8, 1});
            integer(out, 0); // compression level
            for (int i = 0; i < 7; i++) {
                integer(out, 1); // creation time
            }
            string(out, "shop");
            string(out, "15.18");
            string(out, "15.18");
            integer(out, entries);
            out.writeBytes(toc.toByteArray());
            out.writeBytes(data.toByteArray());
            return out.toByteArray();
        }

        private static void integer(ByteArrayOutputStream out, int v) {
            out.write(v < 0 ? 1 : 0);
            int m = Math.abs(v);
            for (int i = 0; i < 4; i++) {
                out.write((m >>> (8 * i)) & 0xFF);
            }
        }

        private static void string(ByteArrayOutputStream out, String s) {
            if (s == null) {
                integer(out, -1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            integer(out, b.length);
            out.writeBytes(b);
        }
    }
}
