package io.backtrack.agent.engine.postgres;

import java.nio.file.Path;

/** One installed client tool (pg_dump, pg_restore) of one major version. */
public record PgTool(String name, int major, Path path) {
}
