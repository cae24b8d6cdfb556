package io.backtrack.agent.restore;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The psql input around pg_restore's --single-transaction script (its shape as pg_restore 15.18 writes it). */
class InPlaceScriptTest {
    private static final String HEADER = """
            --
            -- PostgreSQL database dump
            --

            \\restrict KeY123

            -- Dumped from database version 15.18

            BEGIN;

            SET statement_timeout = 0;
            SET lock_timeout = 0;
            SET client_encoding = 'UTF8';
            SELECT pg_catalog.set_config('search_path', '', false);
            SET row_security = off;

            DROP TABLE IF EXISTS public.t;
            """;
    private static final String FOOTER = """
            COMMIT;

            --
            -- PostgreSQL database dump complete
            --

            \\unrestrict KeY123

            """;

    private static String run(String script, int chunk) throws IOException {
        ByteArrayOutputStream psql = new ByteArrayOutputStream();
        InPlaceScript s = new InPlaceScript(psql, Path.of("/tmp/x.txn"), Path.of("/tmp/x.report"), 30_000,
                List.of("TRUNCATE TABLE ONLY \"public\".\"t\""));
        byte[] bytes = script.getBytes(StandardCharsets.UTF_8);
        for (int off = 0; off < bytes.length; off += chunk) {
            s.write(bytes, off, Math.min(chunk, bytes.length - off));
        }
        s.endOfScript();
        s.finish("SELECT true AS backtrack_ok, '{}' AS backtrack_report");
        return psql.toString(StandardCharsets.UTF_8);
    }

    @Test
    void opensItsOwnTransactionAndCommitsOnlyAfterTheCheck() throws IOException {
        String body = "COPY public.t (a) FROM stdin;\nCOMMIT;\n\\.\n" + "x".repeat(20_000) + "\n";
        for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
            String out = run(HEADER + body + FOOTER, chunk);
            assertThat(out).startsWith("\\set AUTOCOMMIT off\nBEGIN;\nSET lock_timeout = '30000ms';\n\\o /tmp/x.txn\n");
            // pg_restore's BEGIN is gone, its lock_timeout replaced; the body (with a data row "COMMIT;") intact
            assertThat(out.split("\nBEGIN;\n", -1)).hasSize(2);
            assertThat(out).doesNotContain("SET lock_timeout = 0;").contains("COPY public.t (a) FROM stdin;\nCOMMIT;\n\\.\n");
            int check = out.indexOf("SELECT true AS backtrack_ok");
            assertThat(out.indexOf("\\unrestrict KeY123")).isLessThan(check).isPositive();
            assertThat(out.indexOf("\\if :backtrack_ok\nCOMMIT;\n\\else\nROLLBACK;\n\\endif\n")).isGreaterThan(check);
            assertThat(out.lastIndexOf("\nCOMMIT;\n")).isGreaterThan(check);
            assertThat(out).contains("TRUNCATE TABLE ONLY \"public\".\"t\";\n");
        }
    }

    @Test
    void aScriptWithoutItsFinalCommitIsNeverCommitted() {
        assertThatThrownBy(() -> run(HEADER + "CREATE TABLE t (a int);\n", 64))
                .isInstanceOf(IOException.class).hasMessageContaining("does not end with its own COMMIT");
        // a COMMIT followed by more statements is not pg_restore's end either
        assertThatThrownBy(() -> run(HEADER + "COMMIT;\nDROP TABLE x;\n" + FOOTER.replace("COMMIT;\n", ""), 64))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aScriptWithoutBeginInItsHeaderIsRefused() {
        assertThatThrownBy(() -> run(HEADER.replace("BEGIN;\n", "") + FOOTER, 64))
                .isInstanceOf(IOException.class).hasMessageContaining("no BEGIN");
    }
}
