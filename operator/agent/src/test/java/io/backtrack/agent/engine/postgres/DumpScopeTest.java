package io.backtrack.agent.engine.postgres;

import io.backtrack.agent.manifest.ManifestScope;
import io.backtrack.agent.result.AgentFailure;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DumpScopeTest {
    private static final List<TableRef> TABLES = List.of(new TableRef("billing", "invoices"),
            new TableRef("billing", "orders"), new TableRef("public", "orders"), new TableRef("public", "Weird\"Name"));
    private static final Set<String> SCHEMAS = Set.of("public", "billing");

    private static DumpScope resolve(List<String> tables, List<String> exclude, List<String> schemas, boolean schemaOnly) {
        return DumpScope.resolve(new ManifestScope(tables, exclude, schemas, schemaOnly),
                TABLES.stream().map(Relation::table).toList(), SCHEMAS, "shop");
    }

    @Test
    void wholeDatabaseHasNoSwitches() {
        DumpScope scope = resolve(List.of(), List.of(), List.of(), false);
        assertThat(scope.countedTables()).isEqualTo(TABLES);
        assertThat(scope.pgDumpSwitches()).isEmpty();
    }

    @Test
    void bareTableNamesMatchEverySchemaAndQualifiedOnesExactlyOne() {
        assertThat(resolve(List.of("orders"), List.of(), List.of(), false).countedTables())
                .containsExactly(new TableRef("billing", "orders"), new TableRef("public", "orders"));
        DumpScope one = resolve(List.of("public.orders"), List.of(), List.of(), false);
        assertThat(one.countedTables()).containsExactly(new TableRef("public", "orders"));
        assertThat(one.pgDumpSwitches()).containsExactly("-t", "\"public\".\"orders\"");
    }

    @Test
    void namesAreQuotedSoPgDumpTakesThemLiterally() {
        DumpScope scope = resolve(List.of("public.Weird\"Name"), List.of(), List.of(), true);
        assertThat(scope.pgDumpSwitches()).containsExactly("-t", "\"public\".\"Weird\"\"Name\"", "--schema-only");
    }

    @Test
    void schemasAndExcludes() {
        DumpScope scope = resolve(List.of(), List.of("invoices"), List.of("billing"), false);
        assertThat(scope.countedTables()).containsExactly(new TableRef("billing", "orders"));
        assertThat(scope.pgDumpSwitches()).containsExactly("-n", "\"billing\"", "-T", "\"billing\".\"invoices\"");
    }

    @Test
    void unknownNamesAreInvalidArguments() {
        assertThatThrownBy(() -> resolve(List.of("nope"), List.of(), List.of(), false))
                .isInstanceOf(AgentFailure.class).hasMessageContaining("--table nope");
        assertThatThrownBy(() -> resolve(List.of(), List.of(), List.of("sales"), false))
                .isInstanceOf(AgentFailure.class).hasMessageContaining("schema \"sales\" does not exist");
        assertThatThrownBy(() -> resolve(List.of("public.orders"), List.of("orders"), List.of(), false))
                .isInstanceOf(AgentFailure.class).hasMessageContaining("removes every table");
    }
}
