package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.ArchiveToc.Entry;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.stream.BoundedTail;
import io.backtrack.contract.result.Reason;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds a table's indexes and keys ({@link EarlyPostData}) while pg_restore streams the rows of the tables after
 * it, one pg_restore of those entries at a time from the archive's head (its header and table of contents). On the
 * benchmark's 1 GiB database (4 tables, 11 indexes and keys, 2 cores) what was left to build after the last row
 * took 1.6 s instead of 3.3 s (docs/performance.md).
 *
 * <p>Each early build runs with {@code max_parallel_maintenance_workers=0}: beside the COPY of the next table, the
 * index build's parallel workers took the core the COPY needs (on that database the rows then took 16.4 s to load
 * instead of 11.9 s). The last table's indexes, and everything that is not an index or key, are built by the
 * restore's post-data step as before, with the server's own parallelism.
 *
 * <p>The entries run early come from the same stream as the rows, before its SHA-256 was checked at the end: as the
 * schema restored before the rows does. A restore whose archive then fails its check fails as a whole, and its new
 * database is dropped.
 */
final class OverlappedPostData implements AutoCloseable {
    static final String PG_OPTIONS = "-c max_parallel_maintenance_workers=0";
    private static final String PREFIX = "pg_restore: ";
    private static final String BEGAN = "processing data for table \"";

    private final Supplier<ArchiveToc> toc;
    private final Supplier<Path> headFile;
    /** Made from the streamed head, the first time pg_restore says a table's data begins (null: not yet). */
    private EarlyPostData plan;
    private boolean planUnreadable;
    /** Starts pg_restore with these switches (before the archive file) for the database being restored. */
    private final Function<List<String>, Process> restore;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "restore-post-data");
        t.setDaemon(true);
        return t;
    });
    private volatile AgentFailure failure;
    private volatile Process running;
    private volatile boolean stopped;
    /** Set once the stream has ended: no build starts after it. */
    private boolean finishing;
    /** Released, not yet handed to a pg_restore: taken by the build task queued for them. */
    private final List<Entry> pending = new ArrayList<>();
    /** Every entry handed to a build (or waiting for one): what the post-data step leaves out. */
    private final Set<Integer> queued = new HashSet<>();

    /** What the early builds did: how many entries, and the list of the rest of the archive for the last step. */
    record Built(int entries, String rest) {
        static final Built NONE = new Built(0, "");
    }

    /**
     * @param toc      the table of contents of the stream pg_restore reads, or null while the stream has not passed
     *                 it (asked for at each table's data until it is there)
     * @param headFile the archive's header and table of contents as a file, for pg_restore to read the early
     *                 entries from
     */
    OverlappedPostData(Supplier<ArchiveToc> toc, Supplier<Path> headFile, Function<List<String>, Process> restore) {
        this.toc = toc;
        this.headFile = headFile;
        this.restore = restore;
    }

    /**
     * One line of the streaming pg_restore's {@code --verbose} stderr: a table's data beginning releases what is
     * ready; returns whether the line belongs in the error text, i.e. what pg_restore prints without
     * {@code --verbose} (errors, warnings, their detail and hint, and the TOC entry they concern).
     */
    boolean line(String line) {
        if (!line.startsWith(PREFIX)) {
            return true; // a continuation of a message ("Command was: ...")
        }
        String message = line.substring(PREFIX.length());
        if (message.startsWith(BEGAN) && message.endsWith("\"")) {
            EarlyPostData early = plan();
            if (early != null) {
                schedule(early.began(message.substring(BEGAN.length(), message.length() - 1)));
            }
            return false;
        }
        return message.startsWith("error:") || message.startsWith("warning:") || message.startsWith("detail:")
                || message.startsWith("hint:") || message.startsWith("from TOC entry") || message.startsWith("while ");
    }

    /**
     * Waits for the build running, if any; throws the first failure. What is released but not started yet, and
     * what a table's data beginning releases after this, is left to the post-data step (which has the server's
     * parallelism to build it with).
     */
    Built finish() {
        EarlyPostData early;
        synchronized (this) {
            finishing = true;
            pending.forEach(e -> queued.remove(e.dumpId()));
            pending.clear();
            worker.shutdown();
            early = plan;
        }
        awaitWorker();
        if (failure != null) {
            throw failure;
        }
        return early == null || queued.isEmpty() ? Built.NONE : new Built(queued.size(), early.listWithout(queued));
    }

    /**
     * Queues what became ready. One pg_restore builds whatever is waiting when the one before it ends: with many
     * small tables their announcements come faster than a pg_restore starts.
     */
    private synchronized void schedule(List<Entry> ready) {
        if (ready.isEmpty() || finishing || stopped) {
            return;
        }
        boolean idle = pending.isEmpty();
        pending.addAll(ready);
        ready.forEach(e -> queued.add(e.dumpId()));
        if (idle) {
            worker.execute(this::buildPending);
        }
    }

    private void buildPending() {
        List<Entry> batch;
        synchronized (this) {
            batch = List.copyOf(pending);
            pending.clear();
        }
        if (!batch.isEmpty()) {
            build(batch);
        }
    }

    /**
     * The plan, from the same table of contents pg_restore reads; none while that is not at hand yet, and none if it
     * does not parse (nothing is built early then: the post-data step builds everything, as without this class).
     */
    private synchronized EarlyPostData plan() {
        if (plan == null && !planUnreadable) {
            try {
                ArchiveToc read = toc.get();
                plan = read == null ? null : new EarlyPostData(read);
            } catch (RuntimeException e) {
                planUnreadable = true;
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                StructuredLog.warn("restore.post-data-not-overlapped", "reason", String.valueOf(cause.getMessage()));
            }
        }
        return plan;
    }

    /** Stops a build still running (the restore failed) and waits for it to end. */
    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
            worker.shutdownNow();
        }
        Process p = running;
        if (p != null) {
            p.destroyForcibly();
        }
        awaitWorker();
    }

    private void awaitWorker() {
        try {
            while (!worker.awaitTermination(1, TimeUnit.MINUTES)) {
                // an index build on a large table takes as long as it takes
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void build(List<Entry> entries) {
        if (stopped || failure != null) {
            return;
        }
        Path list = null;
        try {
            Path file = headFile.get();
            list = ArchiveStreamer.listFile(entries.stream().map(Entry::listLine)
                    .collect(Collectors.joining("\n", "", "\n")));
            Process p = restore.apply(List.of("--section=post-data", "--use-list=" + list, file.toString()));
            running = p;
            ArchiveStreamer.closeQuietly(p.getOutputStream());
            BoundedTail stderr = BoundedTail.collect(p.getErrorStream(), 16 * 1024, "pg_restore-post-data-stderr");
            int exit = ArchiveStreamer.waitFor(p);
            running = null;
            if (stopped) {
                return;
            }
            if (exit != 0) {
                failure = new AgentFailure(Reason.RestoreFailed, "pg_restore failed building " + describe(entries)
                        + " while later tables' rows were restored (exit status " + exit + "): "
                        + ArchiveStreamer.firstError(stderr.text()));
                return;
            }
            ArchiveStreamer.warnings(stderr);
        } catch (RuntimeException e) {
            if (!stopped) {
                failure = e instanceof AgentFailure a ? a : new AgentFailure(Reason.RestoreFailed,
                        "cannot build " + describe(entries) + " beside the rows: " + e.getMessage(), e);
            }
        } finally {
            ArchiveStreamer.deleteQuietly(list);
        }
    }

    private static String describe(List<Entry> entries) {
        return entries.stream().map(e -> e.desc() + " " + e.tag()).collect(Collectors.joining(", "));
    }
}
