package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.ArchiveToc.Entry;
import io.backtrack.agent.engine.postgres.ArchiveToc.Section;

import java.util.ArrayList;
import java.util.Comparator;
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
    /** A table's dump id to its TABLE DATA entry's position in {@link #tableData}. */
    private final Map<Integer, Integer> dataPosition = new HashMap<>();
    /** The candidates that depend on a table, by the table's dump id, in archive order. */
    private final Map<Integer, List<Entry>> candidatesOf = new HashMap<>();
    /** A candidate's position in the archive, to release in archive order. */
    private final Map<Integer, Integer> archiveOrder = new HashMap<>();
    private final Set<Integer> released = new HashSet<>();
    /** The rows of {@code tableData[0, finished)} are in. */
    private int finished;
    /** Index into {@link #tableData} of the next table pg_restore may announce. */
    private int next;

    EarlyPostData(ArchiveToc toc) {
        this.entries = toc.entries();
        this.byId = toc.byId();
        this.tableData = entries.stream().filter(e -> e.is("TABLE DATA")).toList();
        for (int i = 0; i < tableData.size(); i++) {
            for (int dep : tableData.get(i).dependencies()) {
                Entry table = byId.get(dep);
                if (table != null && table.is("TABLE")) {
                    dataPosition.put(dep, i);
                }
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.section() == Section.POST_DATA && (e.is("INDEX") || e.is("CONSTRAINT"))) {
                archiveOrder.put(e.dumpId(), i);
                for (int dep : e.dependencies()) {
                    candidatesOf.computeIfAbsent(dep, k -> new ArrayList<>()).add(e);
                }
            }
        }
    }

    /**
     * pg_restore began the data of {@code qualifiedName} ({@code schema.name}, as its progress line prints it):
     * every table before it in the archive's order is in. Returns the entries that became ready, in archive order.
     * A name that is not the next tables' (another kind of data, or output this class does not know) releases
     * nothing and moves nothing on. Only the candidates of the tables that just came in are looked at: with
     * thousands of tables, pg_restore's stderr waits for this.
     */
    List<Entry> began(String qualifiedName) {
        for (int i = next; i < tableData.size(); i++) {
            Entry data = tableData.get(i);
            if ((data.namespace() + "." + data.tag()).equals(qualifiedName)) {
                List<Entry> ready = new ArrayList<>();
                for (int done = finished; done < i; done++) {
                    for (int table : tablesOf(tableData.get(done))) {
                        for (Entry e : candidatesOf.getOrDefault(table, List.of())) {
                            if (!released.contains(e.dumpId()) && ready(e, i)) {
                                released.add(e.dumpId());
                                ready.add(e);
                            }
                        }
                    }
                }
                finished = Math.max(finished, i);
                next = i + 1;
                ready.sort(Comparator.comparing(e -> archiveOrder.get(e.dumpId())));
                return ready;
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

    private List<Integer> tablesOf(Entry data) {
        return data.dependencies().stream().filter(dep -> byId.containsKey(dep) && byId.get(dep).is("TABLE"))
                .toList();
    }

    /** Whether {@code e} is ready once the rows of {@code tableData[0, rowsIn)} are in. */
    private boolean ready(Entry e, int rowsIn) {
        for (int dep : e.dependencies()) {
            Entry d = byId.get(dep);
            if (d == null) {
                return false;
            }
            if (d.is("TABLE")) {
                Integer data = dataPosition.get(dep);
                if (data == null || data >= rowsIn) {
                    return false; // no rows of its own (a partitioned table) or not all in yet
                }
            } else if (d.section() != Section.PRE_DATA) {
                return false;
            }
        }
        return true;
    }
}
