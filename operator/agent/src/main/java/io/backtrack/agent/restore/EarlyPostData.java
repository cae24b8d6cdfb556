package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.ArchiveToc.Entry;
import io.backtrack.agent.engine.postgres.ArchiveToc.Section;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of an archive's post-data entries may be built while pg_restore still streams the rows of later tables:
 * a table's indexes and its primary key, unique and exclusion constraints ({@code INDEX}, {@code CONSTRAINT}), once
 * the rows of every table they depend on are in. Nothing else moves: foreign keys (they read another table, whose
 * rows may not be in yet), triggers, rules, policies, materialized view data, comments and grants wait for the last
 * step, as in a plain restore.
 *
 * <p>pg_restore restores a stream's table data one table at a time, in the archive's order, and says so with
 * {@code -v} ("processing data for table "schema.name"") as each table's data begins. When it begins a table, the
 * COPY of every table before it in that order has ended, and, outside {@code --single-transaction}, is committed.
 * An entry is ready when each entry it depends on is either a table whose data entry is such a finished one, or
 * anything else in the pre-data section (schemas, types, functions: restored before any data). Not thread-safe: the
 * one reader of pg_restore's output calls it.
 */
final class EarlyPostData {
    private final List<Entry> entries;
    private final Map<Integer, Entry> byId;
    /** TABLE DATA entries in archive order: the order pg_restore restores them in. */
    private final List<Entry> tableData;
    /** A table's dump id to its TABLE DATA entry's. */
    private final Map<Integer, Integer> dataOfTable = new HashMap<>();
    private final List<Entry> candidates = new ArrayList<>();
    private final Set<Integer> finishedData = new HashSet<>();
    private final Set<Integer> released = new HashSet<>();
    /** Index into {@link #tableData} of the next table pg_restore may announce. */
    private int next;

    EarlyPostData(ArchiveToc toc) {
        this.entries = toc.entries();
        this.byId = toc.byId();
        this.tableData = toc.entries().stream().filter(e -> e.is("TABLE DATA")).toList();
        for (Entry data : tableData) {
            for (int dep : data.dependencies()) {
                Entry table = byId.get(dep);
                if (table != null && table.is("TABLE")) {
                    dataOfTable.put(dep, data.dumpId());
                }
            }
        }
        for (Entry e : toc.entries()) {
            if (e.section() == Section.POST_DATA && (e.is("INDEX") || e.is("CONSTRAINT"))) {
                candidates.add(e);
            }
        }
    }

    /**
     * pg_restore began the data of {@code qualifiedName} ({@code schema.name}, as its progress line prints it):
     * every table before it in the archive's order is in. Returns the entries that became ready, in archive order.
     * A name that is not the next tables' (another kind of data, or output this class does not know) releases
     * nothing and moves nothing on.
     */
    List<Entry> began(String qualifiedName) {
        for (int i = next; i < tableData.size(); i++) {
            Entry data = tableData.get(i);
            if ((data.namespace() + "." + data.tag()).equals(qualifiedName)) {
                for (int done = 0; done < i; done++) {
                    finishedData.add(tableData.get(done).dumpId());
                }
                next = i + 1;
                return release();
            }
        }
        return List.of();
    }

    /** A pg_restore {@code --use-list} of every entry of the archive, in its order, but {@code built}. */
    String listWithout(Set<Integer> built) {
        StringBuilder list = new StringBuilder();
        for (Entry e : entries) {
            if (!built.contains(e.dumpId())) {
                list.append(e.listLine()).append('\n');
            }
        }
        return list.toString();
    }

    private List<Entry> release() {
        List<Entry> ready = new ArrayList<>();
        for (Entry e : candidates) {
            if (!released.contains(e.dumpId()) && ready(e)) {
                released.add(e.dumpId());
                ready.add(e);
            }
        }
        return ready;
    }

    private boolean ready(Entry e) {
        if (e.dependencies().isEmpty()) {
            return false; // an index is always on something: without its table there is nothing to wait for
        }
        for (int dep : e.dependencies()) {
            Entry d = byId.get(dep);
            if (d == null) {
                return false;
            }
            if (d.is("TABLE")) {
                Integer data = dataOfTable.get(dep);
                if (data == null || !finishedData.contains(data)) {
                    return false; // no rows of its own (a partitioned table) or not all in yet
                }
            } else if (d.section() != Section.PRE_DATA) {
                return false;
            }
        }
        return true;
    }
}
