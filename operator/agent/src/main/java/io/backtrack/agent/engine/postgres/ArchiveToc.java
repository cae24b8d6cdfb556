package io.backtrack.agent.engine.postgres;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of contents of a pg_dump custom-format archive: every entry with its type, schema, name and the
 * entries it depends on. pg_restore's {@code -l} prints the same entries but not their dependencies, and a
 * selective restore needs those to bring a table back with everything attached to it (its indexes,
 * constraints, defaults, owned sequences, triggers, comments and grants).
 *
 * <p>The TOC sits at the start of the archive, so reading it needs only the first bytes of the (decompressed)
 * stream. The layout follows pg_backup_archiver.c ({@code ReadHead}, {@code ReadToc}) and pg_backup_custom.c
 * ({@code _ReadExtraToc}) for archive versions 1.12 (PostgreSQL 9.0) to 1.16 (PostgreSQL 17 and 18).
 */
public record ArchiveToc(String formatVersion, String database, String serverVersion, String dumpVersion,
                         List<Entry> entries) {
    private static final int FORMAT_CUSTOM = 1;
    private static final int OLDEST = version(1, 12, 0);
    private static final int NEWEST = version(1, 16, 255);

    public ArchiveToc {
        entries = List.copyOf(entries);
    }

    /**
     * The part of a restore an entry belongs to, as pg_dump recorded it ({@code teSection} in pg_backup.h):
     * pg_restore's {@code --section} options select by it. NONE is a comment, ACL and the like, restored with the
     * section of the entry before it.
     */
    public enum Section {
        NONE, PRE_DATA, DATA, POST_DATA, UNKNOWN;

        static Section of(int code) {
            return switch (code) {
                case 1 -> NONE;
                case 2 -> PRE_DATA;
                case 3 -> DATA;
                case 4 -> POST_DATA;
                default -> UNKNOWN;
            };
        }
    }

    /** One TOC entry as pg_dump wrote it. {@code namespace} is empty for objects outside a schema. */
    public record Entry(int dumpId, String desc, Section section, String namespace, String tag, String owner,
                        boolean hadDumper, String defn, List<Integer> dependencies) {
        public Entry {
            namespace = namespace == null ? "" : namespace;
            tag = tag == null ? "" : tag;
            owner = owner == null ? "" : owner;
            defn = defn == null ? "" : defn;
            dependencies = List.copyOf(dependencies);
        }

        public boolean is(String type) {
            return desc.equals(type);
        }

        /** A line of a pg_restore {@code -L} list: the id, and the rest as pg_restore -l prints it (a comment). */
        public String listLine() {
            return dumpId + "; " + desc + " " + (namespace.isEmpty() ? "-" : namespace) + " " + tag;
        }
    }

    /** Entries by dump id. */
    public Map<Integer, Entry> byId() {
        Map<Integer, Entry> map = new LinkedHashMap<>();
        entries.forEach(e -> map.put(e.dumpId(), e));
        return Collections.unmodifiableMap(map);
    }

    public Optional<Entry> find(String desc, String namespace, String tag) {
        return entries.stream().filter(e -> e.is(desc) && e.namespace().equals(namespace) && e.tag().equals(tag))
                .findFirst();
    }

    /** Reads the header and TOC from the start of a decompressed custom-format archive; stops after the TOC. */
    public static ArchiveToc read(InputStream plain) throws IOException {
        return readHead(plain).toc();
    }

    /**
     * The header and TOC, and the archive's integer size, which the data blocks after the TOC are written with
     * (block ids, chunk lengths, large object oids).
     */
    record Head(ArchiveToc toc, int intSize) {
    }

    static Head readHead(InputStream plain) throws IOException {
        Reader r = new Reader(new DataInputStream(plain));
        byte[] magic = r.bytes(5);
        if (!"PGDMP".equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new IOException("no PGDMP header: not a pg_dump custom-format archive");
        }
        int major = r.u8();
        int minor = r.u8();
        int rev = r.u8();
        int version = version(major, minor, rev);
        String shown = major + "." + minor + "-" + rev;
        if (version < OLDEST || version > NEWEST) {
            throw new IOException("archive format " + shown + " is not one this agent reads (1.12 to 1.16: "
                    + "pg_dump 9.0 to 18)");
        }
        r.intSize = r.u8();
        if (r.intSize < 1 || r.intSize > 8) {
            throw new IOException("archive header has an integer size of " + r.intSize);
        }
        r.offSize = r.u8();
        int format = r.u8();
        if (format != FORMAT_CUSTOM) {
            throw new IOException("archive format code " + format + " is not the custom format");
        }
        if (version >= version(1, 15, 0)) {
            r.u8(); // compression algorithm
        } else {
            r.integer(); // compression level
        }
        for (int i = 0; i < 7; i++) {
            r.integer(); // creation time: sec, min, hour, mday, mon, year, isdst
        }
        String database = r.string();
        String serverVersion = r.string();
        String dumpVersion = r.string();
        int count = r.integer();
        if (count < 0) {
            throw new IOException("archive TOC has a negative entry count");
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int dumpId = r.integer();
            if (dumpId <= 0) {
                throw new IOException("archive TOC entry id " + dumpId + " is out of range: a corrupt TOC");
            }
            boolean hadDumper = r.integer() != 0;
            r.string(); // catalog table oid
            r.string(); // object oid
            String tag = r.string();
            String desc = r.string();
            Section section = Section.of(r.integer());
            String defn = r.string();
            r.string(); // drop statement
            r.string(); // copy statement
            String namespace = r.string();
            r.string(); // tablespace
            if (version >= version(1, 14, 0)) {
                r.string(); // table access method
            }
            if (version >= version(1, 16, 0)) {
                r.integer(); // relkind
            }
            String owner = r.string();
            r.string(); // "with oids", always false since PostgreSQL 12
            List<Integer> deps = new ArrayList<>();
            for (String dep = r.string(); dep != null; dep = r.string()) {
                try {
                    deps.add(Integer.parseInt(dep.strip()));
                } catch (NumberFormatException e) {
                    throw new IOException("archive TOC entry " + dumpId + " has a dependency '" + dep + "'", e);
                }
            }
            r.offset(); // where its data starts (custom format)
            entries.add(new Entry(dumpId, desc == null ? "" : desc, section, namespace, tag, owner, hadDumper, defn,
                    deps));
        }
        return new Head(new ArchiveToc(shown, database, serverVersion, dumpVersion, entries), r.intSize);
    }

    private static int version(int major, int minor, int rev) {
        return (major << 16) | (minor << 8) | rev;
    }

    /** pg_dump's integer and string encodings: sign byte, then little-endian magnitude; strings length-prefixed. */
    private static final class Reader {
        private static final int MAX_STRING = 256 * 1024 * 1024;
        private final DataInputStream in;
        private int intSize = 4;
        private int offSize = 8;

        Reader(DataInputStream in) {
            this.in = in;
        }

        int u8() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the archive ends inside its table of contents");
            }
            return b;
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            try {
                in.readFully(b);
            } catch (EOFException e) {
                throw new EOFException("the archive ends inside its table of contents");
            }
            return b;
        }

        int integer() throws IOException {
            boolean negative = u8() != 0;
            long value = 0;
            for (int i = 0; i < intSize; i++) {
                value |= ((long) u8()) << (8 * i);
            }
            if (value > Integer.MAX_VALUE) {
                throw new IOException("archive integer " + value + " is out of range");
            }
            return negative ? -(int) value : (int) value;
        }

        String string() throws IOException {
            int length = integer();
            if (length < 0) {
                return null;
            }
            if (length > MAX_STRING) {
                throw new IOException("archive TOC string of " + length + " bytes: a corrupt TOC");
            }
            return new String(bytes(length), StandardCharsets.UTF_8);
        }

        void offset() throws IOException {
            int flag = u8();
            if (flag < 1 || flag > 3) {
                throw new IOException("archive TOC has an unknown data offset flag " + flag);
            }
            bytes(offSize);
        }
    }
}
