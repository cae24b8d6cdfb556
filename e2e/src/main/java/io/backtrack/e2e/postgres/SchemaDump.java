package io.backtrack.e2e.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The definition of tables as pg_dump writes it (columns, defaults, constraints, indexes, triggers, owned sequences,
 * comments, grants, owners), without the lines that differ from run to run: what "the table came back exactly as
 * it was" is compared by. Sequence values are part of it ({@code SELECT setval} lines of a data dump of the
 * sequences).
 */
public final class SchemaDump {
    private SchemaDump() {
    }

    public static String of(PostgresServer pg, String db, String... tables) {
        List<String> command = new ArrayList<>(List.of(pg.tool("pg_dump").toString(), "--schema-only",
                "--dbname=host=" + pg.host() + " port=" + pg.port() + " user=" + pg.superuser() + " dbname='"
                        + db.replace("'", "\\'") + "'"));
        for (String t : tables) {
            command.add("--table=" + t);
        }
        return run(command, pg).lines()
                .filter(l -> !l.startsWith("--") && !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
                .filter(l -> !l.isBlank())
                .collect(Collectors.joining("\n"));
    }

    /** {@code name: last_value is_called} of each sequence. */
    public static String sequences(PostgresServer pg, String db) {
        StringBuilder out = new StringBuilder();
        pg.query(db, "SELECT schemaname || '.' || sequencename || ': ' || coalesce(last_value::text, 'unset') "
                + "FROM pg_sequences ORDER BY 1").forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    private static String run(List<String> command, PostgresServer pg) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", pg.password());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pg_dump failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
