package io.backtrack.agent.engine.postgres;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What may reach status and Events of a tool's error output: never row data, never statement text. */
class ToolErrorsTest {
    @Test
    void keepsCodeAndObjectsDropsDetailCommandAndValues() {
        String psql = """
                psql:<stdin>:812: ERROR:  23514: new row for relation "customers" violates check constraint "no_x"
                DETAIL:  Failing row contains (1, Customer 1, c1@example.com).
                CONTEXT:  COPY customers, line 1: "1\tCustomer 1\tc1@example.com"
                LOCATION:  ExecConstraints, execMain.c:2031
                """;
        assertThat(ToolErrors.firstError(psql)).contains("SQLSTATE 23514: new row for relation \"customers\" "
                + "violates check constraint \"no_x\"");
        String pgRestore = """
                pg_restore: error: could not execute query: ERROR:  duplicate key value violates unique constraint "customers_email_key"
                DETAIL:  Key (email)=(secret@example.com) already exists.
                Command was: CREATE USER MAPPING FOR app SERVER remote OPTIONS (password 'hunter2');
                """;
        String safe = ToolErrors.firstError(pgRestore).orElseThrow();
        assertThat(safe).contains("customers_email_key").doesNotContain("secret@example.com")
                .doesNotContain("hunter2").doesNotContain("Command was");
    }

    @Test
    void masksValuesInPrimaryMessages() {
        assertThat(ToolErrors.redact("invalid input syntax for type integer: \"12abc\"")).doesNotContain("12abc");
        assertThat(ToolErrors.redact("value \"99999999999\" is out of range for type integer"))
                .doesNotContain("99999999999");
        assertThat(ToolErrors.redact("invalid byte sequence for encoding \"UTF8\": 0xe4 0x3c"))
                .doesNotContain("0xe4").contains("encoding \"UTF8\"");
        assertThat(ToolErrors.redact("null value in column \"email\" of relation \"customers\" violates not-null "
                + "constraint")).contains("column \"email\"").contains("relation \"customers\"");
        assertThat(ToolErrors.redact("could not create unique index \"i\" Key (a)=(secret) is duplicated"))
                .doesNotContain("secret");
    }

    @Test
    void toolErrorsWithoutAServerErrorAreKept() {
        assertThat(ToolErrors.firstError("pg_restore: error: could not read from input file: end of file\n"))
                .contains("could not read from input file: end of file");
        assertThat(ToolErrors.firstError("pg_restore: warning: errors ignored on restore: 0\n")).isEmpty();
    }

    @Test
    void jdbcExceptionsKeepTheirStateAndPrimaryLine() {
        SQLException e = new SQLException("ERROR: permission denied for table \"orders\"\n  Detail: secret", "42501");
        assertThat(ToolErrors.of(e)).isEqualTo("SQLSTATE 42501: permission denied for table \"orders\"");
    }
}
