package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc.Entry;
import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.TableRef;
import io.backtrack.agent.manifest.CompressionSpec;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.ManifestScope;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.RestoreStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Scope rules and the TOC selection, on a table of contents shaped like pg_dump 15's for the sample shop schema
 * (entry types, tags and dependencies as `pg_restore -l` and the archive show them).
 */
class RestoreSelectionTest {
    static final ArchiveToc TOC = new ArchiveToc("1.14-0", "shop", "15", "15", List.of(
            e(221, "FUNCTION", "public", "audit()"),
            e(300, "SCHEMA", "", "billing"),
            e(215, "TABLE", "public", "customers"),
            e(214, "SEQUENCE", "public", "customers_id_seq", 215),
            e(3385, "SEQUENCE OWNED BY", "public", "customers_id_seq", 214),
            e(219, "TABLE", "public", "order_items"),
            e(218, "SEQUENCE", "public", "order_items_id_seq", 219),
            e(3386, "SEQUENCE OWNED BY", "public", "order_items_id_seq", 218),
            e(217, "TABLE", "public", "orders"),
            e(3387, "COMMENT", "public", "TABLE orders", 217),
            e(3388, "COMMENT", "public", "COLUMN orders.total", 217),
            e(3389, "ACL", "public", "TABLE orders", 217),
            e(220, "VIEW", "public", "order_totals", 217, 217),
            e(216, "SEQUENCE", "public", "orders_id_seq", 217),
            e(301, "TABLE", "billing", "orders", 300),
            e(3212, "DEFAULT", "public", "customers id", 215, 214, 215),
            e(3214, "DEFAULT", "public", "order_items id", 219, 218, 219),
            e(3372, "TABLE DATA", "public", "customers", 215),
            e(3376, "TABLE DATA", "public", "order_items", 219),
            e(3374, "TABLE DATA", "public", "orders", 217),
            e(3380, "TABLE DATA", "billing", "orders", 301),
            e(3390, "SEQUENCE SET", "public", "customers_id_seq", 214),
            e(3391, "SEQUENCE SET", "public", "order_items_id_seq", 218),
            e(3392, "SEQUENCE SET", "public", "orders_id_seq", 216),
            e(3219, "CONSTRAINT", "public", "customers customers_pkey", 215),
            e(3224, "CONSTRAINT", "public", "order_items order_items_pkey", 219),
            e(3222, "CONSTRAINT", "public", "orders orders_pkey", 217),
            e(3220, "INDEX", "public", "orders_customer_idx", 217),
            e(3227, "TRIGGER", "public", "orders orders_audit", 221, 217),
            e(3226, "FK CONSTRAINT", "public", "order_items order_items_order_id_fkey", 217, 3222, 219),
            e(3225, "FK CONSTRAINT", "public", "orders orders_customer_id_fkey", 215, 3219, 217)));

    private static final Manifest WHOLE = manifest(ManifestScope.wholeDatabase());

    static Entry e(int id, String desc, String namespace, String tag, Integer... deps) {
        return new Entry(id, desc, sectionOf(desc), namespace, tag, "postgres", desc.equals("TABLE DATA"), "",
                List.of(deps));
    }

    /** The section pg_dump gives each entry type used here. */
    static ArchiveToc.Section sectionOf(String desc) {
        return switch (desc) {
            case "TABLE DATA", "SEQUENCE SET" -> ArchiveToc.Section.DATA;
            case "CONSTRAINT", "INDEX", "TRIGGER", "FK CONSTRAINT", "MATERIALIZED VIEW DATA" ->
                    ArchiveToc.Section.POST_DATA;
            case "COMMENT", "ACL" -> ArchiveToc.Section.NONE;
            default -> ArchiveToc.Section.PRE_DATA;
        };
    }

    private static Manifest manifest(ManifestScope scope) {
        return new Manifest(1, "0.1.0", "postgresql", "15.18", "pg_dump (PostgreSQL) 15.18", "shop", null, "nightly",
                null, null, scope, "f/archive.pgdump.zst", "custom", new CompressionSpec("zstd", 1), 10, "ab",
                List.of(new TableRows("billing", "orders", 7), new TableRows("public", "customers", 10),
                        new TableRows("public", "order_items", 30), new TableRows("public", "orders", 20)),
                67, 1L, null, null, null, null);
    }

    private static RestoreSelection scope(List<String> tables, List<String> schemas, boolean schemaOnly, boolean dataOnly) {
        return new RestoreSelection(tables, schemas, schemaOnly, dataOnly);
    }

    private static AgentFailure refused(RestoreSelection scope, Manifest manifest, RestoreStrategy strategy) {
        Throwable t = catchThrowable(() -> scope.resolve(manifest, TOC, strategy, "nightly"));
        assertThat(t).isInstanceOf(AgentFailure.class);
        return (AgentFailure) t;
    }

    private static List<String> selected(RestoreSelection.Resolved resolved) {
        List<String> out = new ArrayList<>();
        var byId = TOC.byId();
        resolved.entries().forEach(id -> out.add(byId.get(id).desc() + " " + byId.get(id).tag()));
        return out;
    }

    @Test
    void wholeScopeRestoresTheWholeArchive() {
        RestoreSelection.Resolved whole = RestoreSelection.whole().resolve(WHOLE, TOC, RestoreStrategy.SWAP, "nightly");
        assertThat(whole.wholeArchive()).isTrue();
        assertThat(whole.expected()).hasSize(4);
    }

    @Test
    void aNamedTableComesBackWithEverythingAttachedToItAndNothingOfOtherTables() {
        RestoreSelection.Resolved r = scope(List.of("public.orders"), List.of(), false, false)
                .resolve(WHOLE, TOC, RestoreStrategy.IN_PLACE, "nightly");
        assertThat(selected(r)).containsExactly("TABLE orders", "COMMENT TABLE orders", "COMMENT COLUMN orders.total",
                "ACL TABLE orders", "SEQUENCE orders_id_seq", "TABLE DATA orders", "SEQUENCE SET orders_id_seq",
                "CONSTRAINT orders orders_pkey", "INDEX orders_customer_idx", "TRIGGER orders orders_audit",
                "FK CONSTRAINT orders orders_customer_id_fkey");
        // not: the view on it, other tables' foreign keys to it, the trigger's function, other tables
        assertThat(r.expected()).containsExactly(new TableRows("public", "orders", 20));
        assertThat(r.named()).containsExactly(new TableRef("public", "orders"));
    }

    @Test
    void serialSequencesAndDefaultsComeWithTheirTable() {
        RestoreSelection.Resolved r = scope(List.of("customers"), List.of(), false, false)
                .resolve(WHOLE, TOC, RestoreStrategy.IN_PLACE, "nightly");
        assertThat(selected(r)).containsExactly("TABLE customers", "SEQUENCE customers_id_seq",
                "SEQUENCE OWNED BY customers_id_seq", "DEFAULT customers id", "TABLE DATA customers",
                "SEQUENCE SET customers_id_seq", "CONSTRAINT customers customers_pkey");
    }

    @Test
    void tablesAndSchemasAreAUnionNotACrossProduct() {
        RestoreSelection.Resolved r = scope(List.of("public.customers"), List.of("billing"), false, false)
                .resolve(WHOLE, TOC, RestoreStrategy.IN_PLACE, "nightly");
        assertThat(r.expected()).extracting(t -> t.schema() + "." + t.name())
                .containsExactly("billing.orders", "public.customers");
        assertThat(selected(r)).contains("SCHEMA billing", "TABLE orders", "TABLE DATA orders", "TABLE customers")
                .doesNotContain("TABLE order_items");
    }

    @Test
    void aBareNameInSeveralSchemasIsRefusedAsAmbiguous() {
        AgentFailure f = refused(scope(List.of("orders"), List.of(), false, false), WHOLE, RestoreStrategy.IN_PLACE);
        assertThat(f.reason()).isEqualTo(Reason.InvalidArguments);
        assertThat(f.getMessage()).contains("billing.orders").contains("public.orders").contains("schema.table");
    }

    @Test
    void intoAFreshDatabaseWhatATableNeedsComesTooButAnotherTableIsRefusedByName() {
        // orders has a foreign key to customers: a new database cannot have it without customers.
        AgentFailure f = refused(scope(List.of("public.orders"), List.of(), false, false), WHOLE,
                RestoreStrategy.NEW_DATABASE);
        assertThat(f.getMessage()).contains("public.customers").contains("orders_customer_id_fkey");
        RestoreSelection.Resolved r = scope(List.of("public.orders", "public.customers"), List.of(), false, false)
                .resolve(WHOLE, TOC, RestoreStrategy.NEW_DATABASE, "nightly");
        assertThat(selected(r)).contains("FUNCTION audit()", "TRIGGER orders orders_audit",
                "FK CONSTRAINT orders orders_customer_id_fkey");
    }

    @Test
    void aPartialArchiveNeverReplacesAWholeDatabase() {
        Manifest oneSchema = manifest(new ManifestScope(List.of(), List.of(), List.of("tenant_b"), false));
        for (RestoreStrategy strategy : List.of(RestoreStrategy.SWAP, RestoreStrategy.IN_PLACE)) {
            AgentFailure f = refused(RestoreSelection.whole(), oneSchema, strategy);
            assertThat(f.reason()).isEqualTo(Reason.InvalidArguments);
            assertThat(f.getMessage()).contains("backup nightly holds only the schema(s) tenant_b")
                    .contains("scope.schemas: [tenant_b]").contains("newDatabase");
        }
        Manifest oneTable = manifest(new ManifestScope(List.of("public.orders"), List.of(), List.of(), false));
        assertThat(refused(RestoreSelection.whole(), oneTable, RestoreStrategy.IN_PLACE).getMessage())
                .contains("only the table(s) public.orders");
        assertThat(RestoreSelection.whole().resolve(oneTable, TOC, RestoreStrategy.NEW_DATABASE, "nightly")
                .wholeArchive()).isTrue();
    }

    @Test
    void aSchemaOnlyArchiveEmptiesNothingUnlessAskedTo() {
        Manifest schemaOnly = manifest(new ManifestScope(List.of(), List.of(), List.of(), true));
        for (RestoreStrategy strategy : List.of(RestoreStrategy.SWAP, RestoreStrategy.IN_PLACE)) {
            assertThat(refused(RestoreSelection.whole(), schemaOnly, strategy).getMessage())
                    .contains("definitions only").contains("empty every table").contains("scope.schemaOnly");
        }
        assertThat(scope(List.of(), List.of(), true, false)
                .resolve(schemaOnly, TOC, RestoreStrategy.IN_PLACE, "nightly").wholeArchive()).isTrue();
    }

    @Test
    void dataOnlyInPlaceEmptiesOnlyTheScopedTablesFirst() {
        RestoreSelection s = scope(List.of("public.orders"), List.of(), false, true);
        RestoreSelection.Resolved r = s.resolve(WHOLE, TOC, RestoreStrategy.IN_PLACE, "nightly");
        assertThat(s.pgRestoreSwitches()).contains("--data-only", "--disable-triggers");
        assertThat(s.truncateSql(r)).containsExactly("TRUNCATE TABLE ONLY \"public\".\"orders\"");
    }

    @Test
    void namesNotInTheBackupAreRefusedByName() {
        AgentFailure f = refused(scope(List.of("customers", "public.nope"), List.of(), false, false), WHOLE,
                RestoreStrategy.IN_PLACE);
        assertThat(f.reason()).isEqualTo(Reason.InvalidArguments);
        assertThat(f.getMessage()).contains("table public.nope is not in the backup");
        assertThat(refused(scope(List.of(), List.of("nada"), false, false), WHOLE, RestoreStrategy.IN_PLACE)
                .getMessage()).contains("schema nada");
    }

    @Test
    void swapNeedsAFullScope() {
        for (RestoreSelection partial : List.of(scope(List.of("customers"), List.of(), false, false),
                scope(List.of(), List.of("public"), false, false), scope(List.of(), List.of(), true, false),
                scope(List.of(), List.of(), false, true))) {
            AgentFailure f = refused(partial, WHOLE, RestoreStrategy.SWAP);
            assertThat(f.reason()).isEqualTo(Reason.InvalidArguments);
            assertThat(f.getMessage()).contains("full-scope").contains("inPlace");
        }
    }

    @Test
    void contradictionsAreRefused() {
        assertThat(refused(scope(List.of(), List.of(), true, true), WHOLE, RestoreStrategy.IN_PLACE).getMessage())
                .contains("exclude each other");
        assertThat(refused(scope(List.of(), List.of(), false, true), WHOLE, RestoreStrategy.NEW_DATABASE)
                .getMessage()).contains("inPlace");
    }
}
