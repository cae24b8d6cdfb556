package io.backtrack.agent.restore;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.backtrack.agent.restore.RestoreSelectionTest.TOC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The early builds beside a streaming restore, with a stand-in for pg_restore (a shell that exits as told) on the
 * shop schema's table of contents.
 */
class OverlappedPostDataTest {
    @TempDir
    Path tmp;

    private final List<String> lists = Collections.synchronizedList(new ArrayList<>());

    @Test
    void keepsWhatPgRestorePrintsWithoutVerboseAndReadsTheProgressLines() {
        try (OverlappedPostData o = new OverlappedPostData(() -> TOC, this::head, shell("exit 0"))) {
            assertThat(o.line("pg_restore: connecting to database for restore")).isFalse();
            assertThat(o.line("pg_restore: creating TABLE \"public.customers\"")).isFalse();
            assertThat(o.line("pg_restore: processing data for table \"public.customers\"")).isFalse();
            assertThat(o.line("pg_restore: while PROCESSING TOC:")).isTrue();
            assertThat(o.line("pg_restore: from TOC entry 3372; 0 16385 TABLE DATA customers postgres")).isTrue();
            assertThat(o.line("pg_restore: error: COPY failed for table \"customers\": ERROR:  disk full")).isTrue();
            assertThat(o.line("pg_restore: warning: errors ignored on restore: 1")).isTrue();
            assertThat(o.line("pg_restore: detail: Key (id)=(1) already exists.")).isTrue();
            assertThat(o.line("Command was: CREATE INDEX ...")).isTrue();
        }
    }

    @Test
    void buildsWhatIsReadyAndLeavesTheRestToThePostDataStep() throws Exception {
        OverlappedPostData o = new OverlappedPostData(() -> TOC, this::head, shell("exit 0"));
        progress(o, "public.customers", "public.order_items");
        awaitLists(1);
        OverlappedPostData.Built built = o.finish();
        o.close();
        assertThat(lists).hasSize(1);
        assertThat(lists.get(0)).isEqualTo("3219; CONSTRAINT public customers customers_pkey\n");
        assertThat(built.entries()).isEqualTo(1);
        assertThat(built.rest()).doesNotContain("3219;").contains("3224; CONSTRAINT public order_items")
                .contains("3226; FK CONSTRAINT");
    }

    @Test
    void whatIsReleasedWhileABuildRunsWaitsForItAndThenGoesInOnePgRestore() throws Exception {
        Path gate = tmp.resolve("gate");
        OverlappedPostData o = new OverlappedPostData(() -> TOC, this::head,
                shell("while [ ! -e " + gate + " ]; do sleep 0.02; done"));
        progress(o, "public.customers", "public.order_items"); // customers_pkey: its build waits at the gate
        awaitLists(1);
        progress(o, "public.orders", "billing.orders"); // order_items_pkey, orders_pkey, orders_customer_idx
        Files.createFile(gate);
        awaitLists(2);
        OverlappedPostData.Built built = o.finish();
        o.close();
        assertThat(lists).hasSize(2);
        assertThat(lists.get(1)).isEqualTo("3224; CONSTRAINT public order_items order_items_pkey\n"
                + "3222; CONSTRAINT public orders orders_pkey\n3220; INDEX public orders_customer_idx\n");
        assertThat(built.entries()).isEqualTo(4);
    }

    @Test
    void whatIsStillWaitingWhenTheRowsAreInIsLeftToThePostDataStep() throws Exception {
        Path gate = tmp.resolve("gate");
        OverlappedPostData o = new OverlappedPostData(() -> TOC, this::head,
                shell("while [ ! -e " + gate + " ]; do sleep 0.02; done"));
        progress(o, "public.customers", "public.order_items");
        awaitLists(1);
        progress(o, "public.orders"); // order_items_pkey waits behind the running build
        Thread opener = new Thread(() -> {
            try {
                Thread.sleep(200);
                Files.createFile(gate);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        opener.start();
        OverlappedPostData.Built built = o.finish(); // waits for the running one only
        opener.join();
        o.close();
        assertThat(lists).hasSize(1);
        assertThat(built.entries()).isEqualTo(1);
        assertThat(built.rest()).contains("3224; CONSTRAINT public order_items order_items_pkey");
        // A table announced after the rows are in starts nothing.
        progress(o, "billing.orders");
        assertThat(lists).hasSize(1);
    }

    @Test
    void aFailedBuildFailsTheRestoreWithPgRestoresError() throws Exception {
        OverlappedPostData o = new OverlappedPostData(() -> TOC, this::head, shell(
                "echo 'pg_restore: error: could not execute query: ERROR:  could not create unique index "
                        + "\"customers_pkey\"' >&2; exit 1"));
        progress(o, "public.customers", "public.order_items", "public.orders");
        awaitLists(1);
        AgentFailure failure = catchThrowableOfType(o::finish, AgentFailure.class);
        o.close();
        assertThat(failure.reason()).isEqualTo(Reason.RestoreFailed);
        assertThat(failure.getMessage()).contains("CONSTRAINT customers customers_pkey")
                .contains("exit status 1").contains("could not create unique index \"customers_pkey\"");
    }

    @Test
    void closingStopsTheBuildThatRuns() throws Exception {
        OverlappedPostData o = new OverlappedPostData(() -> TOC, this::head, shell("sleep 60"));
        progress(o, "public.customers", "public.order_items");
        awaitLists(1);
        long start = System.nanoTime();
        o.close();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
        progress(o, "public.orders");
        assertThat(lists).hasSize(1);
    }

    @Test
    void aTableOfContentsNotStreamedYetIsAskedForAgainAtTheNextTable() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        OverlappedPostData o = new OverlappedPostData(() -> asked.incrementAndGet() == 1 ? null : TOC, this::head,
                shell("exit 0"));
        progress(o, "public.customers", "public.order_items");
        awaitLists(1);
        OverlappedPostData.Built built = o.finish();
        o.close();
        assertThat(asked).hasValue(2);
        assertThat(lists).containsExactly("3219; CONSTRAINT public customers customers_pkey\n");
        assertThat(built.entries()).isEqualTo(1);
    }

    @Test
    void aTableOfContentsThatDoesNotParseBuildsNothingEarly() {
        OverlappedPostData o = new OverlappedPostData(() -> {
            throw new UncheckedIOException(new IOException("no PGDMP header"));
        }, this::head, shell("exit 0"));
        assertThat(o.line("pg_restore: processing data for table \"public.customers\"")).isFalse();
        progress(o, "public.order_items", "public.orders");
        assertThat(o.finish()).isEqualTo(OverlappedPostData.Built.NONE);
        o.close();
        assertThat(lists).isEmpty();
    }

    private static void progress(OverlappedPostData o, String... tables) {
        for (String t : tables) {
            o.line("pg_restore: processing data for table \"" + t + "\"");
        }
    }

    private Path head() {
        try {
            return Files.writeString(tmp.resolve("head.pgdump"), "head");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A pg_restore stand-in that records its list file and runs {@code script}. */
    private Function<List<String>, Process> shell(String script) {
        return switches -> {
            assertThat(switches).startsWith("--section=post-data").last().asString().endsWith("head.pgdump");
            String list = switches.stream().filter(s -> s.startsWith("--use-list=")).findFirst().orElseThrow()
                    .substring("--use-list=".length());
            try {
                lists.add(Files.readString(Path.of(list)));
                return new ProcessBuilder("sh", "-c", script).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private void awaitLists(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lists.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(lists).hasSizeGreaterThanOrEqualTo(n);
    }
}
