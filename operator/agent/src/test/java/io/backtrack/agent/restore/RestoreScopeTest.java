package io.backtrack.agent.restore;

import io.backtrack.agent.manifest.BackupScope;
import io.backtrack.agent.manifest.CompressionSpec;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.TableRows;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestoreScopeTest {
    private static final Manifest MANIFEST = new Manifest(1, "0.1.0", "postgresql", "16.4", "pg_dump (PostgreSQL) 16.4",
            "shop", null, null, null, null, BackupScope.wholeDatabase(), "f/archive.pgdump.zst", "custom",
            new CompressionSpec("zstd", 3), 10, "ab", List.of(new TableRows("public", "customers", 3),
            new TableRows("public", "orders", 5), new TableRows("billing", "orders", 7)), 15, null, null);

    private static RestoreScope scope(List<String> tables, List<String> schemas, boolean schemaOnly, boolean dataOnly) {
        return new RestoreScope(tables, schemas, schemaOnly, dataOnly);
    }

    private static AgentFailure refused(RestoreScope scope, RestoreStrategy strategy) {
        return (AgentFailure) org.assertj.core.api.Assertions.catchThrowable(() -> scope.validate(MANIFEST, strategy));
    }

    @Test
    void wholeScopeSelectsEverythingWithoutSwitches() {
        RestoreScope whole = RestoreScope.whole();
        whole.validate(MANIFEST, RestoreStrategy.SWAP);
        assertThat(whole.partial()).isFalse();
        assertThat(whole.tablesIn(MANIFEST)).hasSize(3);
        assertThat(whole.pgRestoreSwitches(MANIFEST)).isEmpty();
        assertThat(whole.preludeSql(MANIFEST, RestoreStrategy.IN_PLACE)).isEmpty();
    }

    @Test
    void tablesMapToSchemaAndTableSwitchesAndCreateTheirSchemas() {
        RestoreScope s = scope(List.of("billing.orders", "customers"), List.of(), false, false);
        s.validate(MANIFEST, RestoreStrategy.IN_PLACE);
        assertThat(s.tablesIn(MANIFEST)).extracting(t -> t.schema() + "." + t.name())
                .containsExactly("public.customers", "billing.orders");
        assertThat(s.pgRestoreSwitches(MANIFEST))
                .containsExactly("--schema=public", "--schema=billing", "--table=customers", "--table=orders");
        assertThat(s.preludeSql(MANIFEST, RestoreStrategy.IN_PLACE))
                .containsExactly("CREATE SCHEMA IF NOT EXISTS \"public\"", "CREATE SCHEMA IF NOT EXISTS \"billing\"");
    }

    @Test
    void schemasNarrowTables() {
        RestoreScope s = scope(List.of("orders"), List.of("billing"), false, false);
        assertThat(s.tablesIn(MANIFEST)).containsExactly(new TableRows("billing", "orders", 7));
        assertThat(scope(List.of(), List.of("billing"), true, false).pgRestoreSwitches(MANIFEST))
                .containsExactly("--schema=billing", "--schema-only");
    }

    @Test
    void dataOnlyInPlaceEmptiesTheScopedTablesFirst() {
        RestoreScope s = scope(List.of("public.orders"), List.of(), false, true);
        assertThat(s.pgRestoreSwitches(MANIFEST)).contains("--data-only", "--disable-triggers");
        assertThat(s.preludeSql(MANIFEST, RestoreStrategy.IN_PLACE))
                .containsExactly("TRUNCATE TABLE \"public\".\"orders\"");
    }

    @Test
    void namesNotInTheBackupAreRefusedByName() {
        AgentFailure f = refused(scope(List.of("customers", "public.nope"), List.of("nada"), false, false),
                RestoreStrategy.IN_PLACE);
        assertThat(f.reason()).isEqualTo(Reason.InvalidArguments);
        assertThat(f.getMessage()).contains("schema nada").contains("table public.nope");
    }

    @Test
    void swapNeedsAFullScope() {
        for (RestoreScope partial : List.of(scope(List.of("customers"), List.of(), false, false),
                scope(List.of(), List.of("public"), false, false), scope(List.of(), List.of(), true, false),
                scope(List.of(), List.of(), false, true))) {
            AgentFailure f = refused(partial, RestoreStrategy.SWAP);
            assertThat(f.reason()).isEqualTo(Reason.InvalidArguments);
            assertThat(f.getMessage()).contains("full-scope").contains("inPlace");
        }
    }

    @Test
    void contradictionsAreRefused() {
        assertThat(refused(scope(List.of(), List.of(), true, true), RestoreStrategy.IN_PLACE).getMessage())
                .contains("exclude each other");
        assertThat(refused(scope(List.of(), List.of(), false, true), RestoreStrategy.NEW_DATABASE).getMessage())
                .contains("inPlace");
        assertThatThrownBy(() -> RestoreStrategy.parse("replace")).hasMessageContaining("newDatabase, swap, inPlace");
    }
}
