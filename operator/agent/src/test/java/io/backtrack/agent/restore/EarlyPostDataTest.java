package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.ArchiveToc.Entry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.backtrack.agent.restore.RestoreSelectionTest.TOC;
import static io.backtrack.agent.restore.RestoreSelectionTest.e;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What may be built while later tables' rows still stream, on the shop schema's table of contents (data order:
 * public.customers, public.order_items, public.orders, billing.orders).
 */
class EarlyPostDataTest {
    @Test
    void aTablesKeysAndIndexesAreReleasedOnceTheNextTablesDataBegins() {
        EarlyPostData plan = new EarlyPostData(TOC);
        assertThat(ids(plan.began("public.customers"))).isEmpty(); // its own rows are still coming
        assertThat(ids(plan.began("public.order_items"))).containsExactly(3219); // customers_pkey
        assertThat(ids(plan.began("public.orders"))).containsExactly(3224); // order_items_pkey
        assertThat(ids(plan.began("billing.orders"))).containsExactly(3222, 3220); // orders_pkey, its index
    }

    @Test
    void foreignKeysTriggersAndTheLastTablesEntriesWaitForThePostDataStep() {
        EarlyPostData plan = new EarlyPostData(TOC);
        List<Integer> released = new ArrayList<>();
        for (String table : List.of("public.customers", "public.order_items", "public.orders", "billing.orders")) {
            released.addAll(ids(plan.began(table)));
        }
        // Both foreign keys have all their tables in by now, yet read another table: never early.
        assertThat(released).doesNotContain(3226, 3225, 3227);
        String rest = plan.listWithout(Set.copyOf(released));
        assertThat(rest.lines().map(l -> Integer.parseInt(l.substring(0, l.indexOf(';')))))
                .containsExactlyElementsOf(TOC.entries().stream().map(Entry::dumpId)
                        .filter(id -> !released.contains(id)).toList());
        assertThat(rest).contains("3226; FK CONSTRAINT public order_items order_items_order_id_fkey");
    }

    @Test
    void aTableAnnouncedOutOfTurnReleasesEverythingBeforeIt() {
        // pg_restore restores in archive order; a skipped announcement still means the tables before are in.
        EarlyPostData plan = new EarlyPostData(TOC);
        assertThat(ids(plan.began("public.orders"))).containsExactly(3219, 3224);
    }

    @Test
    void anUnknownOrRepeatedNameReleasesNothingAndMovesNothingOn() {
        EarlyPostData plan = new EarlyPostData(TOC);
        assertThat(plan.began("public.nowhere")).isEmpty();
        assertThat(plan.began("public.customers")).isEmpty();
        assertThat(plan.began("public.customers")).isEmpty(); // already passed: not the next tables'
        assertThat(ids(plan.began("public.order_items"))).containsExactly(3219);
    }

    @Test
    void anIndexOnATableWithoutRowsOrOnAnotherPostDataEntryIsNeverEarly() {
        ArchiveToc toc = new ArchiveToc("1.14-0", "db", "15", "15", List.of(
                e(10, "TABLE", "public", "events"), // partitioned: no rows of its own
                e(11, "TABLE", "public", "events_2026", 10),
                e(12, "TABLE", "public", "later"),
                e(20, "TABLE DATA", "public", "events_2026", 11),
                e(21, "TABLE DATA", "public", "later", 12),
                e(30, "INDEX", "public", "events_at", 10),
                e(31, "INDEX", "public", "events_2026_at", 11),
                e(32, "INDEX ATTACH", "public", "events_2026_at", 30, 31),
                e(33, "CONSTRAINT", "public", "events_2026 uses_index", 11, 31),
                e(34, "COMMENT", "public", "INDEX events_2026_at", 31),
                e(35, "MATERIALIZED VIEW DATA", "public", "totals", 11)));
        EarlyPostData plan = new EarlyPostData(toc);
        assertThat(plan.began("public.events_2026")).isEmpty();
        assertThat(ids(plan.began("public.later"))).containsExactly(31);
    }

    @Test
    void anEntryWithAnUnknownDependencyIsNeverEarly() {
        ArchiveToc toc = new ArchiveToc("1.14-0", "db", "15", "15", List.of(
                e(1, "TABLE", "public", "a"),
                e(2, "TABLE", "public", "b"),
                e(3, "TABLE DATA", "public", "a", 1),
                e(4, "TABLE DATA", "public", "b", 2),
                e(5, "INDEX", "public", "a_x", 1, 999),
                e(6, "INDEX", "public", "a_y", 1, 4)));
        assertThat(new EarlyPostData(toc).began("public.b")).isEmpty();
    }

    private static List<Integer> ids(List<Entry> entries) {
        return entries.stream().map(Entry::dumpId).toList();
    }
}
